package dev.fundament.inference.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatRequest;
import dev.fundament.testing.HostileJson;

/**
 * Coverage-guided fuzzing of the request reader: any JSON a caller sends is either read into a
 * request the upstream writer can send, or refused with a 4xx naming what is wrong; nothing else
 * (no NullPointerException, no 500) may come out of it.
 */
class RequestReaderFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "15s")
    void chatBodiesAreReadOrRefusedWithA4xx(FuzzedDataProvider data) {
        JsonNode body = HostileJson.mutate(HostileJson.chat("gpt-sim"), HostileJson.Source.of(data), 4);
        try {
            ChatRequest request = OpenAiRequestReader.chat(body);
            byte[] upstream = OpenAiRequestWriter.chat(request, "upstream-model", true);
            assertThat(readable(upstream).get("model").asText()).isEqualTo("upstream-model");
        } catch (GatewayException e) {
            assertThat(e.kind().status()).as(e.getMessage()).isBetween(400, 499);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void embeddingBodiesAreReadOrRefusedWithA4xx(FuzzedDataProvider data) {
        JsonNode body = HostileJson.mutate(HostileJson.embeddings("embed-sim"), HostileJson.Source.of(data), 3);
        try {
            OpenAiRequestReader.Embedding request = OpenAiRequestReader.embedding(body);
            byte[] upstream = OpenAiRequestWriter.embedding(request.request(), "upstream-model");
            assertThat(readable(upstream).get("input").isArray()).isTrue();
        } catch (GatewayException e) {
            assertThat(e.kind().status()).as(e.getMessage()).isBetween(400, 499);
        }
    }

    private static JsonNode readable(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("the upstream body is not JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }
}
