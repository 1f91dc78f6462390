package dev.fundament.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A provider with room for one call and one waiter ({@code sim-tiny}: max_concurrency 1, max_queue 1,
 * queue_timeout 3s, long enough for the third call to find the queue full on a busy machine) while a slow stream holds the slot: the next call waits and is shed when the
 * wait runs out, the one after it is shed at once, both with Retry-After; the load shows in metrics.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class AdmissionHttpTest {

    private static final String CHAT = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    @Test
    void aProviderAtCapacityQueuesThenShedsWithRetryAfter() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> holding = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v1/chat/completions")).header("Authorization", "Bearer " + Upstreams.ADMIN_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(",\"stream\":true")))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = holding.body()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            assertThat(lines.readLine()).as("the slow stream has started and holds the only slot").startsWith("data:");

            CompletableFuture<Response> waiter = CompletableFuture.supplyAsync(() ->
                    given().contentType("application/json").body(CHAT.formatted("")).post("/v1/chat/completions"));
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!given().get("/q/metrics").asString().contains("fundament_provider_queued{provider=\"sim-tiny\"} 1.0")) {
                assertThat(System.nanoTime()).as("the second call is queued").isLessThan(deadline);
            }
            Response full = given().contentType("application/json").body(CHAT.formatted("")).post("/v1/chat/completions");
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.jsonPath().getString("error.code")).isEqualTo("overloaded");
            assertThat(full.jsonPath().getString("error.message")).contains("queue is full");
            assertThat(full.header("Retry-After")).isNotBlank();

            Response timedOut = waiter.get();
            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(timedOut.jsonPath().getString("error.message")).contains("no slot freed up within 3000 ms");
            assertThat(timedOut.header("Retry-After")).isNotBlank();
            assertThat(given().get("/q/metrics").asString()).contains("fundament_provider_in_flight{provider=\"sim-tiny\"} 1.0");
        }
    }
}
