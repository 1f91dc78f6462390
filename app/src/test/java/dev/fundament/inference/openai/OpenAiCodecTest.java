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
}
