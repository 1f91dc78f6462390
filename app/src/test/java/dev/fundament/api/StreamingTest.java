package dev.fundament.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streams: usage handling, pass-through fields, and a client that goes away. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class StreamingTest {

    @TestHTTPResource("/")
    URL base;

    @jakarta.inject.Inject
    dev.fundament.usage.Ledger ledger;

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void usageChunkOnlyWhenAskedButUpstreamAlwaysAsked() {
        String plain = stream("{\"model\":\"gpt-sim\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"plain\"}]}");
        assertThat(plain).endsWith("data: [DONE]\n\n").doesNotContain("\"usage\"");
        JsonNode upstream = lastRequestContaining(Upstreams.healthy.requests(), "plain");
        assertThat(upstream.at("/stream_options/include_usage").asBoolean())
                .as("Fundament asks the upstream for usage even when the caller did not").isTrue();

        String withUsage = stream("{\"model\":\"gpt-sim\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"counted\"}]}");
        assertThat(withUsage).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":").endsWith("data: [DONE]\n\n");
    }

    @Test
    void unknownFieldsReachTheUpstreamUntouched() {
        given().contentType("application/json").body("""
                {"model":"gpt-sim","messages":[{"role":"user","content":"passthrough-check"}],
                 "seed":42,"logit_bias":{"50256":-100},"metadata":{"app":"crm"},"service_tier":"flex",
                 "max_tokens":30,"reasoning_effort":"low"}""")
                .when().post("/v1/chat/completions").then().statusCode(200);
        JsonNode upstream = lastRequestContaining(Upstreams.healthy.requests(), "passthrough-check");
        assertThat(upstream.get("model").asText()).isEqualTo("sim-model");
        assertThat(upstream.get("seed").asInt()).isEqualTo(42);
        assertThat(upstream.at("/logit_bias/50256").asInt()).isEqualTo(-100);
        assertThat(upstream.at("/metadata/app").asText()).isEqualTo("crm");
        assertThat(upstream.get("service_tier").asText()).isEqualTo("flex");
        assertThat(upstream.get("reasoning_effort").asText()).isEqualTo("low");
        assertThat(upstream.get("max_tokens").asInt()).isEqualTo(30);
        assertThat(upstream.has("max_completion_tokens")).isFalse();
    }

    @Test
    void clientDisconnectCancelsTheUpstreamWithinASecond() throws Exception {
        HttpClient client = vertx.createHttpClient();
        CompletableFuture<HttpClientResponse> headers = new CompletableFuture<>();
        CompletableFuture<Void> firstChunk = new CompletableFuture<>();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(base.getPort())
                        .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY))
                .compose(req -> req.putHeader("x-request-id", "cancelled-stream-1").send(Buffer.buffer(
                        "{\"model\":\"slow-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}")))
                .onSuccess(resp -> {
                    resp.handler(b -> firstChunk.complete(null));
                    headers.complete(resp);
                })
                .onFailure(headers::completeExceptionally);
        HttpClientResponse response = headers.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        firstChunk.get(10, TimeUnit.SECONDS);
        assertThat(Upstreams.slowStream.activeStreams()).as("the upstream stream is open").isEqualTo(1);

        long closedAt = System.nanoTime();
        response.request().connection().close();
        boolean cancelled = within(2_000, () -> Upstreams.slowStream.activeStreams() == 0);
        long tookMs = (System.nanoTime() - closedAt) / 1_000_000;
        assertThat(cancelled).as("upstream stream closed after the client left").isTrue();
        assertThat(tookMs).as("time from client disconnect to upstream cancellation, ms").isLessThan(1_000);
        client.close();

        // The half-finished stream is in the ledger, charged for what was generated.
        assertThat(within(5_000, () -> ledger.store().countByRequestId("cancelled-stream-1") == 1)).isTrue();
        var entry = ledger.store().findByRequestId("cancelled-stream-1").getFirst();
        assertThat(entry.status()).isEqualTo(499);
        assertThat(entry.cancelled()).isTrue();
        assertThat(entry.stream()).isTrue();
        assertThat(entry.outputTokens()).as("tokens generated before the client left").isPositive();
        assertThat(entry.costMicros()).as("charged for them").isPositive();

    }

    @Test
    void aClientThatStopsReadingPausesTheUpstream() throws Exception {
        HttpClient client = vertx.createHttpClient();
        CompletableFuture<HttpClientResponse> headers = new CompletableFuture<>();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(base.getPort())
                        .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY))
                .compose(req -> req.send(Buffer.buffer(
                        "{\"model\":\"bulk-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"all of it\"}]}")))
                .onSuccess(resp -> {
                    resp.pause();
                    headers.complete(resp);
                })
                .onFailure(headers::completeExceptionally);
        HttpClientResponse response = headers.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);

        // 300,000 chunks (about 45 MB) are ready upstream at once. If Fundament read ahead without
        // bound, the upstream would finish while our client reads nothing; with backpressure the
        // upstream's socket stays full and its stream waits, open, for as long as we do not read.
        // With backpressure, once the socket buffers between upstream, Fundament and our client are full,
        // the upstream writes nothing more: its progress freezes, stalled, for as long as we do not read.
        // Without it, Fundament would keep reading (and buffering) and the progress would keep moving.
        long[] seen = {-1};
        int[] streak = new int[1];
        boolean frozen = within(30_000, () -> {
            long now = Upstreams.bulkStream.chunksSent();
            streak[0] = now == seen[0] && Upstreams.bulkStream.stalledStreams() == 1 ? streak[0] + 1 : 0;
            seen[0] = now;
            return streak[0] >= 50 || Upstreams.bulkStream.activeStreams() == 0;
        }, 10);
        assertThat(frozen).as("the upstream either froze or finished within 30 s").isTrue();
        assertThat(Upstreams.bulkStream.activeStreams()).as("upstream stream still open: it waits for our client").isEqualTo(1);
        assertThat(seen[0]).as("the upstream is held back well before the end of the answer").isLessThan(300_000L);

        long[] bytes = new long[1];
        CompletableFuture<String> end = new CompletableFuture<>();
        StringBuilder last = new StringBuilder();
        response.handler(b -> {
            bytes[0] += b.length();
            last.append(b.toString());
            if (last.length() > 64) {
                last.delete(0, last.length() - 64);
            }
        });
        response.endHandler(v -> end.complete(last.toString()));
        response.resume();
        assertThat(end.get(60, TimeUnit.SECONDS)).endsWith("data: [DONE]\n\n");
        assertThat(bytes[0]).as("every chunk arrived").isGreaterThan(300_000L * 100);
        assertThat(Upstreams.bulkStream.activeStreams()).isZero();
        client.close();
    }

    private static boolean within(long millis, BooleanSupplier condition) {
        return within(millis, condition, 5);
    }

    private static boolean within(long millis, BooleanSupplier condition, long pollMillis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(pollMillis * 1_000_000);
        }
        return condition.getAsBoolean();
    }

    private static String stream(String body) {
        return given().contentType("application/json").body(body).when().post("/v1/chat/completions").then()
                .statusCode(200).extract().asString();
    }

    private static JsonNode lastRequestContaining(List<JsonNode> requests, String marker) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (requests.get(i).toString().contains(marker)) {
                return requests.get(i);
            }
        }
        throw new AssertionError("the upstream never received a request containing '" + marker + "'");
    }
}
