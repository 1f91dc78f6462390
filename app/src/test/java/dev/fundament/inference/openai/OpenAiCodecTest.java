package dev.fundament.inference.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolChoice;
import org.junit.jupiter.api.Test;

class OpenAiCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void requestRoundTripKeepsEveryFieldAndUnknownOnes() throws Exception {
        String body = """
                {"model":"gpt-x","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":[{"type":"text","text":"What is this?"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}},
                    {"type":"input_audio","input_audio":{"data":"UklG","format":"wav"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"lookup","arguments":"{\\"q\\":1}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"42"}],
                 "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"},"strict":true}}],
                 "tool_choice":{"type":"function","function":{"name":"lookup"}},
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}},
                 "max_completion_tokens":100,"temperature":0.2,"stop":"END","seed":7,"logit_bias":{"50256":-100},
                 "metadata":{"app":"crm"},"stream":true,"stream_options":{"include_usage":true}}""";
        ChatRequest request = OpenAiRequestReader.chat(json(body));

        assertThat(request.messages()).extracting(m -> m.role()).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
        assertThat(request.messages().get(1).content()).hasSize(3).element(2).isInstanceOf(ContentPart.Other.class);
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Function("lookup"));
        assertThat(request.responseFormat()).isInstanceOf(ResponseFormat.JsonSchema.class);
        assertThat(request.maxTokens()).isEqualTo(100);
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.extensions()).containsKeys("seed", "logit_bias", "metadata", "max_completion_tokens");

        JsonNode upstream = JSON.readTree(OpenAiRequestWriter.chat(request, "upstream-x", true));
        JsonNode original = json(body);
        assertThat(upstream.get("model").asText()).isEqualTo("upstream-x");
        for (String field : new String[] {"messages", "tools", "tool_choice", "response_format", "seed", "logit_bias",
            "metadata", "max_completion_tokens", "temperature", "stream_options"}) {
            assertThat(upstream.get(field)).as(field).isEqualTo(original.get(field));
        }
        assertThat(upstream.get("stop")).isEqualTo(json("[\"END\"]"));
        assertThat(upstream.has("max_tokens")).isFalse();
    }

    @Test
    void resultAndChunkAreReadAndWrittenInOpenAiShape() throws Exception {
        String upstream = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
                   "tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,
                   "prompt_tokens_details":{"cached_tokens":8},"completion_tokens_details":{"reasoning_tokens":0}},
                 "system_fingerprint":"fp_1"}""";
        ChatResult result = OpenAiResponseReader.result(upstream.getBytes());
        assertThat(result.choices().getFirst().finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.usage().cachedTokens()).isEqualTo(8);
        assertThat(JSON.readTree(OpenAiResponseWriter.result(result))).isEqualTo(json(upstream));

        ChatChunk chunk = OpenAiResponseReader.chunk("""
                {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,
                 "delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\""}}]},"logprobs":null,"finish_reason":null}]}""");
        assertThat(chunk.choices().getFirst().toolCalls().getFirst().arguments()).isEqualTo("{\"a\"");
        assertThat(new String(OpenAiResponseWriter.chunk(chunk))).isEqualTo(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]},"
                        + "\"logprobs\":null,\"finish_reason\":null}]}");
    }

    @Test
    void badFieldsNameTheirPath() throws Exception {
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MISSING_PARAMETER);
                    assertThat(e.param()).isEqualTo("messages[0].content[0].text");
                });
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("messages[0].tool_call_id"));
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("[1,2]")))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> OpenAiRequestReader.embedding(json("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"hex\"}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("encoding_format"));
    }

    private static GatewayException refused(String fields) {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + fields + "}";
        try {
            OpenAiRequestReader.chat(json(body));
        } catch (GatewayException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + fields);
    }

    private static ChatRequest accepted(String fields) throws Exception {
        return OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + fields + "}"));
    }

    /**
     * A hostile test sent n: -1, top_p: -3 and temperature: 1e308 upstream unchecked, and n: 500 past a
     * budget. Every documented range is checked at the edge, each 400 naming its parameter; the
     * boundaries themselves are accepted.
     */
    @Test
    void samplingParametersOutsideTheirDocumentedRangesAreRefusedByName() throws Exception {
        String[][] cases = {
            {"\"n\":0", "n"}, {"\"n\":-1", "n"}, {"\"n\":129", "n"}, {"\"n\":500", "n"}, {"\"n\":1.5", "n"},
            {"\"n\":\"2\"", "n"}, {"\"best_of\":0", "best_of"}, {"\"best_of\":1000", "best_of"},
            {"\"temperature\":-0.1", "temperature"}, {"\"temperature\":2.01", "temperature"},
            {"\"temperature\":1e308", "temperature"}, {"\"temperature\":1e400", "temperature"},
            {"\"temperature\":\"hot\"", "temperature"},
            {"\"top_p\":-3", "top_p"}, {"\"top_p\":1.5", "top_p"},
            {"\"presence_penalty\":-2.5", "presence_penalty"}, {"\"presence_penalty\":3", "presence_penalty"},
            {"\"frequency_penalty\":-2.01", "frequency_penalty"}, {"\"frequency_penalty\":2.5", "frequency_penalty"},
            {"\"max_tokens\":0", "max_tokens"}, {"\"max_tokens\":-5", "max_tokens"},
            {"\"max_tokens\":1000001", "max_tokens"}, {"\"max_tokens\":99999999999", "max_tokens"},
            {"\"max_completion_tokens\":0", "max_completion_tokens"},
            {"\"top_logprobs\":21", "top_logprobs"}, {"\"top_logprobs\":-1", "top_logprobs"},
            {"\"logprobs\":21", "logprobs"}, {"\"logprobs\":-1", "logprobs"},
            {"\"seed\":1.5", "seed"}, {"\"seed\":99999999999999999999", "seed"}, {"\"seed\":\"7\"", "seed"},
            {"\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop"},
            {"\"logit_bias\":{\"50256\":-101}", "logit_bias.50256"}, {"\"logit_bias\":{\"50256\":100.5}", "logit_bias.50256"},
            {"\"logit_bias\":{\"word\":1}", "logit_bias"}, {"\"logit_bias\":[1]", "logit_bias"},
            {"\"metadata\":{\"app\":1}", "metadata.app"}, {"\"metadata\":\"crm\"", "metadata"},
            {"\"metadata\":{\"app\":\"" + "x".repeat(513) + "\"}", "metadata.app"},
            {"\"some_vendor_knob\":1e400", "some_vendor_knob"},
        };
        for (String[] c : cases) {
            GatewayException e = refused(c[0]);
            assertThat(e.kind().status()).as(c[0]).isEqualTo(400);
            assertThat(e.param()).as(c[0]).isEqualTo(c[1]);
        }
        StringBuilder seventeen = new StringBuilder("\"metadata\":{");
        for (int i = 0; i < 17; i++) {
            seventeen.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        assertThat(refused(seventeen.append("}").toString()).param()).isEqualTo("metadata");

        ChatRequest edges = accepted("\"n\":128,\"temperature\":2,\"top_p\":0,\"presence_penalty\":-2,\"frequency_penalty\":2,"
                + "\"max_tokens\":1000000,\"top_logprobs\":20,\"logprobs\":true,\"seed\":-9223372036854775808,"
                + "\"stop\":[\"a\",\"b\",\"c\",\"d\"],\"logit_bias\":{\"50256\":-100,\"11\":100},\"metadata\":{\"app\":\"crm\"}");
        assertThat(edges.choices()).isEqualTo(128);
        assertThat(edges.temperature()).isEqualTo(2.0);
        assertThat(edges.maxTokens()).isEqualTo(1_000_000);
        assertThat(accepted("\"best_of\":5,\"n\":2").choices()).as("best_of generates more than n").isEqualTo(5);
        assertThat(accepted("\"temperature\":null").choices()).isEqualTo(1);
    }

    /**
     * A 201-character model name was journaled, and then the ledger and the audit writers retried it
     * forever against VARCHAR(200) columns. Identifiers are bounded at the edge, and so is the user.
     */
    @Test
    void identifiersThatReachStorageAreBoundedAndPrintable() throws Exception {
        String longModel = "m".repeat(dev.fundament.error.Bounds.MODEL + 1);
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"" + longModel
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("201 characters; at most 200");
                });
        assertThat(accepted("\"temperature\":1").model()).isEqualTo("m");
        assertThat(OpenAiRequestReader.chat(json("{\"model\":\"" + "m".repeat(200)
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).model()).hasSize(200);
        assertThat(refused("\"user\":\"" + "u".repeat(201) + "\"").param()).isEqualTo("user");
        assertThat(refused("\"user\":\"ann\\nforged log line\"").getMessage()).contains("control character");
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"gpt\\u0000x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("model"));
        assertThatThrownBy(() -> OpenAiRequestReader.embedding(json("{\"model\":\"" + longModel + "\",\"input\":\"x\"}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("model"));
    }

    /**
     * /v1/embeddings with [""], whitespace, \u0000 or a lone surrogate answered 500. Each is a 400
     * naming the input; a prompt with a NUL or a lone surrogate is refused the same way.
     */
    @Test
    void textNoModelCanTakeIsRefusedNamingTheInput() throws Exception {
        String[][] cases = {
            {"[\"\"]", "input[0]"}, {"\"\"", "input"}, {"[\"ok\",\"   \"]", "input[1]"}, {"\"\\t\\n\"", "input"},
            {"[\"a\\u0000b\"]", "input[0]"}, {"\"\\ud800\"", "input"}, {"[\"x\\udc00y\"]", "input[0]"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> OpenAiRequestReader.embedding(json("{\"model\":\"e\",\"input\":" + c[0] + "}")))
                    .as(c[0]).isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.kind().status()).isEqualTo(400);
                        assertThat(e.param()).isEqualTo(c[1]);
                    });
        }
        assertThat(OpenAiRequestReader.embedding(json("{\"model\":\"e\",\"input\":[\"caf\\u00e9 \\ud83d\\ude00\"]}"))
                .request().inputs()).containsExactly("café 😀");
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("messages[0].content"));
        assertThatThrownBy(() -> OpenAiRequestReader.chat(json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"a\\u0000\"}]}]}")))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("messages[0].content[0].text"));
    }
}
