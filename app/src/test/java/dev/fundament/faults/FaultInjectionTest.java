package dev.fundament.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Faults injected with the simulator while load runs, each with a healthy fallback target: 30 % of
 * answers 500, a storm of 429s, a first token that never comes in time, and an upstream stopped in
 * the middle of the run. At least 99.9 % of the callers' requests must succeed (a stream counts only
 * when it ends with {@code [DONE]}); and the breaker of the failing target opens, so the run does not
 * keep paying for it.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class FaultInjectionTest {

    private static final int REQUESTS = 2_000;
    private static final int CONCURRENCY = 32;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Outcomes of one run: successes, and failures by status and first bytes of the body. */
    record Run(int ok, Map<String, Integer> failures) {
        double successRate() {
            return (double) ok / REQUESTS;
        }
    }

    private Run load(String model, boolean mixStreams, Runnable atQuarter) throws Exception {
        Semaphore slots = new Semaphore(CONCURRENCY);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            slots.acquire();
            boolean stream = mixStreams && i % 2 == 1;
            String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"}]}";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + Upstreams.ADMIN_KEY).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                slots.release();
                boolean good = error == null && response.statusCode() == 200 && (stream
                        ? response.body().stripTrailing().endsWith("data: [DONE]") && !response.body().contains("\"error\"")
                        : response.body().contains("\"chat.completion\""));
                if (good) {
                    ok.incrementAndGet();
                } else {
                    String why = error != null ? error.getClass().getSimpleName()
                            : response.statusCode() + " " + response.body().substring(0, Math.min(160, response.body().length()));
                    failures.merge(why, 1, Integer::sum);
                }
                if (done.incrementAndGet() == REQUESTS / 4 && atQuarter != null) {
                    atQuarter.run();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        System.out.printf("fault run %s: %d of %d requests succeeded%n", model, ok.get(), REQUESTS);
        return new Run(ok.get(), failures);
    }

    private static String breaker(String model) {
        return given().get("/admin/v1/routes").then().statusCode(200).extract().jsonPath()
                .getString("data.find { it.model == '" + model + "' }.targets[0].breaker");
    }

    @Test
    void thirtyPercentServerErrors() throws Exception {
        Run run = load("faults-5xx", true, null);
        assertThat(run.successRate()).as("failures: %s", run.failures()).isGreaterThanOrEqualTo(0.999);
    }

    @Test
    void aStormOf429s() throws Exception {
        long before = Upstreams.rateLimited.requestCount();
        Run run = load("faults-429", true, null);
        assertThat(run.successRate()).as("failures: %s", run.failures()).isGreaterThanOrEqualTo(0.999);
        assertThat(breaker("faults-429")).as("the rate-limited target is given a rest").isNotEqualTo("closed");
        assertThat(Upstreams.rateLimited.requestCount() - before).as("calls to the rate-limited target")
                .isLessThan(REQUESTS / 4);
    }

    @Test
    void aFirstTokenThatComesTooLate() throws Exception {
        Run run = load("faults-slow", true, null);
        assertThat(run.successRate()).as("failures: %s", run.failures()).isGreaterThanOrEqualTo(0.999);
        assertThat(breaker("faults-slow")).isNotEqualTo("closed");
    }

    @Test
    void anUpstreamStoppedMidRun() throws Exception {
        long before = Upstreams.killable.requestCount();
        Run run = load("faults-killed", false, () -> Upstreams.killable.close());
        assertThat(Upstreams.killable.requestCount() - before).as("the primary served the first part of the run")
                .isGreaterThanOrEqualTo(REQUESTS / 4);
        assertThat(run.successRate()).as("failures: %s", run.failures()).isGreaterThanOrEqualTo(0.999);
        assertThat(breaker("faults-killed")).isNotEqualTo("closed");
    }
}
