package dev.fundament.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.testing.HostileJson;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile bodies against every endpoint that reads one, through the running server: each
 * answer is a success or a 4xx in OpenAI's error shape, never a 5xx, and comes within a liveness
 * bound; afterwards the server is still ready and the audit chain still verifies. Bodies are valid
 * requests with a few hostile mutations ({@link HostileJson}) or raw bytes (truncated JSON, invalid
 * UTF-8, NUL); the seed ({@code -Dfuzz.seed}) and the number of cases per endpoint
 * ({@code -Dfuzz.cases}) are printed so that a failure is reproduced exactly.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class HttpFuzzTest {

    /** Writes bodies nested deeper than Jackson writes by default: the server must refuse them, not the test. */
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
            .build());
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("fuzz.cases", 150);
    /** Liveness, not timing: an answer that takes this long means the request hung. */
    private static final Duration HANG = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private String userKey;
    private int cases;

    @BeforeEach
    void keysAndCollection() {
        userKey = given().contentType("application/json").body("{\"name\": \"fuzzer\", \"team\": \"fuzzers\"}")
                .when().post("/admin/v1/keys").then().statusCode(201).extract().path("key");
        given().contentType("application/json").body("""
                {"name": "fuzz-push", "settings": {"owner": "fuzzers", "readers": ["team:fuzzers"],
                 "sources": [{"name": "api", "type": "push"}]}}""")
                .when().post("/admin/v1/collections").then().statusCode(201);
    }

    @AfterEach
    void removeCollection() {
        given().delete("/admin/v1/collections/fuzz-push");
        given().delete("/admin/v1/limits/team/fuzzers");
    }

    @Test
    void hostileBodiesGetAnAnswerOrA4xxAndLeaveTheServerSound() throws Exception {
        Random random = new Random(SEED);
        HostileJson.Source source = HostileJson.Source.of(random);
        ObjectNode search = JsonNodeFactory.instance.objectNode().put("query", "warranty").put("top_k", 3);
        search.putObject("filters").put("source", "api");
        ObjectNode push = JsonNodeFactory.instance.objectNode();
        push.putArray("documents").addObject().put("id", "doc-1").put("title", "Terms").put("text", "Pay within 30 days.")
                .putObject("metadata").put("kind", "terms");
        ObjectNode stream = HostileJson.chat("gpt-sim").put("stream", true);
        stream.putObject("stream_options").put("include_usage", true);
        ObjectNode key = JsonNodeFactory.instance.objectNode().put("name", "fuzzed").put("team", "fuzzers");
        key.putArray("allowed_models").add("gpt-sim");
        key.putObject("metadata").put("app", "fuzz");

        fuzz("POST", "/v1/chat/completions", userKey, HostileJson.chat("gpt-sim"), source, random);
        fuzz("POST", "/v1/chat/completions", userKey, stream, source, random);
        fuzz("POST", "/v1/embeddings", userKey, HostileJson.embeddings("embed-sim"), source, random);
        fuzz("POST", "/v1/collections/fuzz-push/search", userKey, search, source, random);
        fuzz("POST", "/v1/collections/fuzz-push/documents", Upstreams.ADMIN_KEY, push, source, random);
        fuzz("POST", "/admin/v1/keys", Upstreams.ADMIN_KEY, key, source, random);
        fuzz("PUT", "/admin/v1/limits/team/fuzzers", Upstreams.ADMIN_KEY,
                JsonNodeFactory.instance.objectNode().put("requests_per_minute", 100_000), source, random);

        System.out.printf("HTTP fuzz: %d cases (seed %d), answers by status %s%n", cases, SEED, statuses);
        assertThat(failures).as("seed " + SEED).isEmpty();
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/admin/v1/audit/verify").then().statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(true));
    }

    private void fuzz(String method, String path, String key, ObjectNode valid, HostileJson.Source source, Random random)
            throws Exception {
        for (int i = 0; i < CASES; i++) {
            byte[] body = random.nextInt(10) == 0 ? raw(valid, random)
                    : JSON.writeValueAsBytes(HostileJson.mutate(valid, source, 4));
            send(method, path, key, body);
        }
    }

    /** Bytes no JSON parser should accept whole: truncated, invalid UTF-8, NUL, a lone opening bracket run. */
    private static byte[] raw(ObjectNode valid, Random random) throws Exception {
        byte[] json = JSON.writeValueAsBytes(valid);
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(json, random.nextInt(json.length));
            case 1 -> {
                byte[] b = json.clone();
                b[random.nextInt(b.length)] = (byte) (0x80 | random.nextInt(0x80));
                yield b;
            }
            case 2 -> new String(json, StandardCharsets.UTF_8).replace("Say hi.", "Say\u0000hi.").getBytes(StandardCharsets.UTF_8);
            default -> "[".repeat(1 + random.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII);
        };
    }

    private void send(String method, String path, String key, byte[] body) throws Exception {
        cases++;
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(HANG)
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            failures.add(method + " " + path + " hung: " + preview(body));
            return;
        }
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        Supplier<String> story = () -> method + " " + path + " -> " + status + " " + preview(response.body().getBytes())
                + " for " + preview(body);
        if (status >= 500) {
            failures.add(story.get());
        } else if (status >= 400 && !isOpenAiError(response.body())) {
            failures.add("not an OpenAI error: " + story.get());
        } else if (status == 200 && response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                && !(response.body().endsWith("data: [DONE]\n\n") || response.body().contains("\"error\""))) {
            failures.add("a stream that neither finished nor failed: " + story.get());
        }
    }

    private static boolean isOpenAiError(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            return error != null && error.path("message").isTextual() && error.path("type").isTextual();
        } catch (Exception e) {
            return false;
        }
    }

    private static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
        return bytes.length > 300 ? s + "…(" + bytes.length + " bytes)" : s;
    }
}
