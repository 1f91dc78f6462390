package dev.fundament.simulator;

import static dev.fundament.simulator.SimulatorClient.await;
import static dev.fundament.simulator.SimulatorClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator over real HTTP on a port the OS picks. Every simulator here answers at once
 * ({@code --ttft 0 --tokens-per-second 0}) unless a test is about pacing, so nothing waits on time.
 */
class SimulatorTest {

    private static final String HELLO = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello there\"}]%s}";
    private static final String WEATHER_TOOL = """
            "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}},
                     {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                       "properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"enum":["celsius","fahrenheit"]},
                         "hourly":{"type":"boolean"},"where":{"type":"object","properties":{"lat":{"type":"number"}}},
                         "tags":{"type":"array","items":{"type":"string"}}},
                       "required":["city","days"]}}}],
            "tool_choice":{"type":"function","function":{"name":"get_weather"}}""";

    private static Vertx vertx;
    private Simulator simulator;
    private SimulatorClient client;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            await(simulator.close());
        }
    }

    private void start(String flags) {
        simulator = SimulatorClient.start(vertx, flags);
        client = new SimulatorClient(simulator.port());
    }

    private static String hello(String extra) {
        return HELLO.formatted(extra.isEmpty() ? "" : "," + extra);
    }

    @Test
    void plainCompletionHasOpenAiShapeAndUsage() {
        start("--output-tokens fixed:12");
        SimulatorClient.Reply reply = client.post("/v1/chat/completions", hello(""));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = reply.json();
        assertThat(body.path("id").asText()).startsWith("chatcmpl-sim-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asText()).as("model echoed").isEqualTo("gpt-test");
        assertThat(body.path("system_fingerprint").isTextual()).isTrue();
        JsonNode choice = body.path("choices").path(0);
        assertThat(body.path("choices")).hasSize(1);
        assertThat(choice.path("index").asInt(-1)).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText().split(" ")).as("one word per token").hasSize(12);
        assertThat(choice.path("message").get("refusal").isNull()).isTrue();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).as("words of 'Say hello there'").isEqualTo(3);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(15);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isInt()).isTrue();
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").isInt()).isTrue();
    }

    @Test
    void streamSendsRoleTokensFinishThenDoneWithoutUsageUnlessAsked() {
        start("--output-tokens fixed:5");
        SimulatorClient.Stream stream = client.stream(hello("\"stream\":true"));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.broken()).isFalse();
        assertThat(stream.events()).hasSize(1 + 5 + 1 + 1).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = stream.chunks();
        JsonNode first = chunks.getFirst().path("choices").path(0).path("delta");
        assertThat(first.path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("content").asText("x")).isEmpty();
        assertThat(stream.contentChunks()).hasSize(5);
        JsonNode last = chunks.getLast().path("choices").path(0);
        assertThat(last.path("delta").isEmpty()).isTrue();
        assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asText()).isEqualTo(chunks.getFirst().path("id").asText());
            assertThat(c.has("usage")).as("no usage field without include_usage").isFalse();
        });
    }

    @Test
    void streamEndsWithUsageChunkWhenAsked() {
        start("--output-tokens fixed:5");
        SimulatorClient.Stream stream = client.stream(hello("\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        List<JsonNode> chunks = stream.chunks();
        assertThat(stream.events()).last().isEqualTo("[DONE]");
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.get("usage").isNull()).isTrue());
        assertThat(chunks.get(chunks.size() - 2).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void tokenLimitCutsTheAnswerWithFinishReasonLength() {
        start("--output-tokens fixed:50");
        JsonNode plain = client.post("/v1/chat/completions", hello("\"max_tokens\":7")).json();
        assertThat(plain.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
        assertThat(plain.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");

        SimulatorClient.Stream stream = client.stream(hello("\"stream\":true,\"max_completion_tokens\":4"));
        assertThat(stream.contentChunks()).hasSize(4);
        assertThat(stream.chunks().getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void toolsAnswerWithOneCallWhoseArgumentsFitTheSchema() throws Exception {
        start("");
        JsonNode body = client.post("/v1/chat/completions", hello(WEATHER_TOOL)).json();

        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").get("content").isNull()).isTrue();
        assertThat(choice.path("message").path("tool_calls")).hasSize(1);
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText()).startsWith("call_sim_");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).as("the named tool_choice").isEqualTo("get_weather");
        JsonNode arguments = SimulatorClient.JSON.readTree(call.path("function").path("arguments").asText());
        assertThat(arguments.toString()).isEqualTo(
                "{\"city\":\"example\",\"days\":1,\"unit\":\"celsius\",\"hourly\":true,\"where\":{\"lat\":1},\"tags\":[]}");
    }

    @Test
    void streamedToolCallSendsIdAndNameFirstThenArgumentsInPieces() throws Exception {
        start("");
        SimulatorClient.Stream stream = client.stream(hello("\"stream\":true," + WEATHER_TOOL));

        List<JsonNode> chunks = stream.chunks();
        JsonNode opening = chunks.getFirst().path("choices").path(0).path("delta");
        assertThat(opening.path("role").asText()).isEqualTo("assistant");
        JsonNode call = opening.path("tool_calls").path(0);
        assertThat(call.path("index").asInt(-1)).isZero();
        assertThat(call.path("id").asText()).startsWith("call_sim_");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("function").path("arguments").asText("x")).isEmpty();
        StringBuilder arguments = new StringBuilder();
        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 1);
        for (JsonNode chunk : pieces) {
            JsonNode delta = chunk.path("choices").path(0).path("delta").path("tool_calls").path(0);
            assertThat(delta.has("id")).isFalse();
            arguments.append(delta.path("function").path("arguments").asText());
        }
        assertThat(pieces).hasSizeGreaterThanOrEqualTo(2);
        assertThat(SimulatorClient.JSON.readTree(arguments.toString()).fieldNames()).toIterable()
                .containsExactly("city", "days", "unit", "hourly", "where", "tags");
        assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(stream.events()).last().isEqualTo("[DONE]");
    }

    @Test
    void noToolCallAfterAToolResultOrWithToolChoiceNone() {
        start("--output-tokens fixed:3");
        String afterResult = """
                {"model":"m","messages":[{"role":"user","content":"Weather?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"Sunny"}],%s}""".formatted(WEATHER_TOOL);
        JsonNode text = client.post("/v1/chat/completions", afterResult).json().path("choices").path(0);
        assertThat(text.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(text.path("message").path("content").asText()).isNotBlank();

        String none = hello(WEATHER_TOOL.replaceAll("\"tool_choice\":.*$", "\"tool_choice\":\"none\""));
        assertThat(client.post("/v1/chat/completions", none).json().path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("stop");
    }

    @Test
    void jsonSchemaAnswerParsesAndHasTheRequiredKeys() throws Exception {
        start("");
        String format = """
                "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":{
                  "type":"object","required":["name","age","address"],"additionalProperties":false,
                  "properties":{"name":{"type":"string"},"age":{"type":["integer","null"]},
                    "address":{"$ref":"#/$defs/address"}},
                  "$defs":{"address":{"type":"object","properties":{"street":{"type":"string"}}}}}}}""";
        JsonNode body = client.post("/v1/chat/completions", hello(format)).json();

        JsonNode content = SimulatorClient.JSON.readTree(body.path("choices").path(0).path("message").path("content").asText());
        assertThat(content.fieldNames()).toIterable().containsExactlyInAnyOrder("name", "age", "address");
        assertThat(content.path("age").asInt()).isEqualTo(1);
        assertThat(content.path("address").path("street").asText()).isEqualTo("example");
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void embeddingsAsFloatsAndBase64AreTheSameUnitVector() {
        start("--embedding-dimensions 64");
        JsonNode floats = client.post("/v1/embeddings", "{\"model\":\"embed\",\"input\":[\"one text\",\"another\"]}").json();
        JsonNode base64 = client.post("/v1/embeddings",
                "{\"model\":\"embed\",\"input\":\"one text\",\"encoding_format\":\"base64\"}").json();

        assertThat(floats.path("object").asText()).isEqualTo("list");
        assertThat(floats.path("model").asText()).isEqualTo("embed");
        assertThat(floats.path("data")).hasSize(2);
        assertThat(floats.path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(floats.path("data").path(0).path("object").asText()).isEqualTo("embedding");
        assertThat(floats.path("usage").path("prompt_tokens").asInt()).as("3 words").isEqualTo(3);
        assertThat(floats.path("usage").path("total_tokens").asInt()).isEqualTo(3);
        float[] vector = floats(floats.path("data").path(0).path("embedding"));
        assertThat(vector).hasSize(64);
        double norm = 0;
        for (float f : vector) {
            norm += f * f;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(decode(base64.path("data").path(0).path("embedding").asText())).containsExactly(vector);
        assertThat(floats(floats.path("data").path(1).path("embedding"))).isNotEqualTo(vector);
    }

    @Test
    void embeddingDimensionsAreHonoured() {
        start("");
        JsonNode body = client.post("/v1/embeddings", "{\"model\":\"e\",\"input\":[[1,2,3]],\"dimensions\":256}").json();

        assertThat(body.path("data").path(0).path("embedding")).hasSize(256);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).as("one per token").isEqualTo(3);
        assertThat(client.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").json().path("data").path(0)
                .path("embedding")).as("the default").hasSize(1536);
    }

    @Test
    void errorRateOneAnswersEveryRequest500() {
        start("--error-rate 1.0");
        SimulatorClient.Reply reply = client.post("/v1/chat/completions", hello(""));

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(reply.json().path("error").path("message").asText()).isNotBlank();
        assertThat(client.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").status()).isEqualTo(500);
        assertThat(client.get("/v1/models").status()).as("listing models is never faulted").isEqualTo(200);
    }

    @Test
    void rateLimitRateOneAnswers429WithRetryAfter() {
        start("--rate-limit-rate 1.0");
        SimulatorClient.Reply reply = client.post("/v1/chat/completions", hello("\"stream\":true"));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(reply.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(reply.json().path("error").has("param")).isTrue();
    }

    @Test
    void failAfterChunksCutsTheStreamWithoutDone() {
        start("--output-tokens fixed:50 --fail-after-chunks 3");
        SimulatorClient.Stream stream = client.stream(hello("\"stream\":true"));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.broken()).as("the transfer ends abnormally").isTrue();
        assertThat(stream.events()).doesNotContain("[DONE]").hasSize(1 + 3);
        assertThat(stream.contentChunks()).hasSize(3);
        eventually(() -> simulator.activeStreams() == 0, "the cut stream is no longer counted");
    }

    @Test
    void badRequestsAnswerInOpenAiErrorShape() {
        start("");
        SimulatorClient.Reply malformed = client.post("/v1/chat/completions", "{\"model\": \"m\", \"messages\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(malformed.json().path("error").fieldNames()).toIterable().containsExactly("message", "type", "param", "code");

        SimulatorClient.Reply noModel = client.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(noModel.status()).isEqualTo(400);
        assertThat(noModel.json().path("error").path("param").asText()).isEqualTo("model");
        assertThat(noModel.json().path("error").path("code").asText()).isEqualTo("missing_required_parameter");
        assertThat(client.post("/v1/chat/completions", "{\"model\":\"m\"}").json().path("error").path("param").asText())
                .isEqualTo("messages");
        assertThat(client.post("/v1/embeddings", "{\"model\":\"m\"}").json().path("error").path("param").asText())
                .isEqualTo("input");

        SimulatorClient.Reply unknown = client.get("/v1/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("message").asText()).contains("/v1/nothing-here");
    }

    @Test
    void modelsListTheSimulatedModelAndAnswerAnyId() {
        start("");
        JsonNode list = client.get("/v1/models").json();
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").path(0).path("id").asText()).isEqualTo("sim-model");
        assertThat(list.path("data").path(0).path("owned_by").asText()).isEqualTo("simulator");

        JsonNode one = client.get("/v1/models/meta-llama%2FLlama-3").json();
        assertThat(one.path("id").asText()).isEqualTo("meta-llama/Llama-3");
        assertThat(one.path("object").asText()).isEqualTo("model");
    }

    @Test
    void recordsTheLast100RequestBodiesAndCountsEveryRequest() {
        start("");
        for (int i = 0; i < 105; i++) {
            client.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"text " + i + "\"}");
        }
        client.get("/v1/models");

        List<JsonNode> seen = simulator.requests();
        assertThat(seen).hasSize(100);
        assertThat(seen.getFirst().path("input").asText()).isEqualTo("text 5");
        assertThat(seen.getLast().path("input").asText()).isEqualTo("text 104");
        assertThat(simulator.requestCount()).isEqualTo(106);
    }

    @Test
    void sameSeedSameAnswersOnOneConnection() {
        start("--seed 42");
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(client.post("/v1/chat/completions", hello("")).json().path("choices").path(0).path("message").path("content").asText());
        }
        await(simulator.close());
        start("--seed 42");
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/v1/chat/completions", hello("")).json().path("choices").path(0).path("message")
                    .path("content").asText()).isEqualTo(first.get(i));
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    private static float[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.getFloat();
        }
        return out;
    }
}
