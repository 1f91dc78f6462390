package dev.fundament.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a hostile caller found over HTTP, each now refused with a 400 (or 401/403/414/431) in OpenAI's
 * shape, the store and the metrics unharmed: over-long identifiers, {@code n} past budgets and token
 * limits, embeddings of nothing, an open and caller-labelled {@code /q/metrics}, bare 414/431 answers,
 * and admin JSON whose types were guessed.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class BoundedInputHttpTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URL base;

    private static String key(String body) {
        return given().contentType("application/json").body(body).post("/admin/v1/keys").then().statusCode(201)
                .extract().path("key");
    }

    private static Response chat(String key, String model, String extra) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}")
                .post("/v1/chat/completions");
    }

    /**
     * A chat with a 201-character model name was journaled and then retried forever by the ledger and
     * audit writers (VARCHAR(200)); nothing stored after it, restarts failed. Now it is a 400 at the
     * edge, and the requests after it are stored and reported at once.
     */
    @Test
    void anOverLongModelNameIsRefusedAndTheStoreKeepsWorking() {
        String name = "bounds-" + java.util.UUID.randomUUID();
        String key = key("{\"name\":\"" + name + "\",\"team\":\"sales\"}");
        chat(key, "sim/" + "m".repeat(197), "").then().statusCode(400).body("error.param", equalTo("model"))
                .body("error.code", equalTo("invalid_request")).body("error.message", containsString("at most 200"));
        chat(key, "gpt-sim", ",\"user\":\"" + "u".repeat(201) + "\"").then().statusCode(400).body("error.param", equalTo("user"));
        String next = "after-bounds-" + java.util.UUID.randomUUID();
        given().header("Authorization", "Bearer " + key).header("x-request-id", next).contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(ledger.store().findByRequestId(next)).as("the next request's ledger row").singleElement()
                .satisfies(e -> {
                    assertThat(e.subject()).isEqualTo(name);
                    assertThat(e.model()).isEqualTo("gpt-sim");
                    assertThat(e.status()).isEqualTo(200);
                });
        io.restassured.path.json.JsonPath audit = given().get("/admin/v1/audit/subjects/" + name).then().statusCode(200)
                .extract().jsonPath();
        assertThat(audit.getList("data.request_id", String.class)).as("the next request's audit record").contains(next);
        assertThat(audit.getString("data.find { it.request_id == '" + next + "' }.route")).isEqualTo("gpt-sim");
        given().get("/admin/v1/usage?group_by=model").then().statusCode(200);
        given().get("/admin/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @jakarta.inject.Inject
    dev.fundament.usage.Ledger ledger;

    /**
     * A pushed document's metadata passed the per-entry bounds (64 entries of 10,000 characters) but
     * not the column: quotes and backslashes double when the metadata is written as JSON. It is now
     * measured as stored.
     */
    @Test
    void pushedMetadataIsBoundedAsStored() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode body = json.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode doc = body.putArray("documents").addObject().put("id", "d").put("text", "t");
        com.fasterxml.jackson.databind.node.ObjectNode metadata = doc.putObject("metadata");
        for (int i = 0; i < 9; i++) {
            metadata.put("k" + i, "\"\\".repeat(5_000)); // 10,000 characters, 20,000 as JSON
        }
        assertThat(CollectionRoutes.documents(body)).as("180,000 characters as JSON").hasSize(1);
        for (int i = 9; i < 64; i++) {
            metadata.put("k" + i, "\"\\".repeat(5_000));
        }
        assertThatThrownBy(() -> CollectionRoutes.documents(body)).isInstanceOfSatisfying(
                dev.fundament.error.GatewayException.class, e -> {
                    assertThat(e.param()).isEqualTo("documents[0].metadata");
                    assertThat(e.getMessage()).contains("as JSON").contains("at most 200000");
                });
        assertThat(dev.fundament.error.Bounds.DOCUMENT_METADATA_JSON).as("below rag_documents.metadata").isLessThan(1_000_000);
    }

    /**
     * A metrics-only key searched its team's documents through /v1/collections, and a key with
     * [metrics, auditor] got past a check for exactly [metrics]. /v1 now refuses, in one place and
     * before reading the body, every principal whose only role is metrics.
     */
    @Test
    void metricsOnlyKeysReachNothingUnderV1() {
        String metrics = key("{\"name\":\"scraper\",\"team\":\"sales\",\"roles\":[\"metrics\"]}");
        java.util.List<Response> answers = java.util.List.of(
                chat(metrics, "gpt-sim", ""),
                given().header("Authorization", "Bearer " + metrics).contentType("application/json")
                        .body("{\"model\":\"embed-sim\",\"input\":\"x\"}").post("/v1/embeddings"),
                given().header("Authorization", "Bearer " + metrics).get("/v1/models"),
                given().header("Authorization", "Bearer " + metrics).get("/v1/models/gpt-sim"),
                given().header("Authorization", "Bearer " + metrics).get("/v1/collections"),
                given().header("Authorization", "Bearer " + metrics).contentType("application/json")
                        .body("{\"query\":\"bonus\"}").post("/v1/collections/handbook/search"),
                given().header("Authorization", "Bearer " + metrics).contentType("application/json")
                        .body("{\"documents\":[{\"id\":\"x\",\"text\":\"t\"}]}").post("/v1/collections/handbook/documents"));
        for (Response r : answers) {
            r.then().statusCode(403).body("error.code", equalTo("permission_denied"))
                    .body("error.type", equalTo("permission_error")).body("error.message", containsString("metrics role"));
        }
        String both = key("{\"name\":\"dpo\",\"team\":\"sales\",\"roles\":[\"metrics\",\"auditor\"]}");
        given().header("Authorization", "Bearer " + both).get("/v1/models").then().statusCode(200);
    }

    /**
     * n: 500 with max_tokens: 100 was admitted under a 1,000 tokens-per-minute limit and used 50,005
     * tokens. The reservation now counts every choice; n above 128 is out of range.
     */
    @Test
    void nMultipliesTheTokenReservation() {
        String key = key("{\"name\":\"many\",\"team\":\"multiplied\"}");
        chat(key, "gpt-sim", ",\"n\":500,\"max_tokens\":100").then().statusCode(400).body("error.param", equalTo("n"));
        chat(key, "gpt-sim", ",\"n\":100,\"max_tokens\":100").then().statusCode(429)
                .body("error.code", equalTo("rate_limit_exceeded")).body("error.message", containsString("reserves 10001 tokens"));
        chat(key, "gpt-sim", ",\"n\":1,\"max_tokens\":100").then().statusCode(200);
    }

    /** With a 0.01 EUR daily budget, n: 500, max_tokens: 100 spent 0.50 EUR. The hold now covers every choice. */
    @Test
    void nMultipliesTheBudgetHold() {
        String key = key("{\"name\":\"many\",\"team\":\"capped\"}");
        chat(key, "gpt-sim", ",\"n\":128,\"max_tokens\":1000").then().statusCode(429)
                .body("error.code", equalTo("insufficient_quota"));
        chat(key, "gpt-sim", ",\"n\":1,\"max_tokens\":1000").then().statusCode(200);
    }

    /** [""], whitespace, \u0000 and a lone surrogate made /v1/embeddings answer 500. */
    @Test
    void embeddingsOfNothingOrUnencodableTextAre400() {
        String[][] cases = {{"[\"\"]", "input[0]"}, {"\"   \"", "input"}, {"[\"a\\u0000b\"]", "input[0]"},
            {"[\"ok\",\"\\ud800\"]", "input[1]"}};
        for (String[] c : cases) {
            given().contentType("application/json").body("{\"model\":\"embed-sim\",\"input\":" + c[0] + "}")
                    .post("/v1/embeddings").then().statusCode(400).body("error.param", equalTo(c[1]))
                    .body("error.type", equalTo("invalid_request_error"));
        }
        given().contentType("application/json").body("{\"model\":\"embed-sim\",\"input\":[\"caf\\u00e9\"]}")
                .post("/v1/embeddings").then().statusCode(200);
    }

    private HttpResponse<String> scrape(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "q/metrics")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * /q/metrics needed no key and labelled by the caller's model name: a 100 KB name made a 71 MB
     * scrape. Now it takes a metrics (or admin) key, and a model name nobody configured counts as
     * 'other', however it reached a provider.
     */
    @Test
    void metricsNeedAKeyAndLabelOnlyConfiguredNames() throws Exception {
        HttpResponse<String> anonymous = scrape(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"code\":\"invalid_api_key\"");
        String user = key("{\"name\":\"caller\",\"team\":\"sales\"}");
        assertThat(scrape("Bearer " + user).statusCode()).isEqualTo(403);
        String metrics = key("{\"name\":\"prometheus\",\"roles\":[\"metrics\"]}");
        chat(metrics, "gpt-sim", "").then().statusCode(403).body("error.code", equalTo("permission_denied"));

        String invented = "sim/" + "x".repeat(190);
        chat(user, invented, "").then().statusCode(200);
        chat(user, "sim/" + "y".repeat(60_000), "").then().statusCode(400).body("error.param", equalTo("model"));
        HttpResponse<String> scraped = scrape("Bearer " + metrics);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).doesNotContain("xxxxxxxxxx").doesNotContain("yyyyyyyyyy")
                .containsPattern("fundament_requests_total\\{[^}]*gen_ai_provider_name=\"sim\"[^}]*gen_ai_request_model=\"other\"");
        assertThat(scraped.body().length()).as("the scrape stays small").isLessThan(2_000_000);
        Matcher label = Pattern.compile("gen_ai_request_model=\"([^\"]*)\"").matcher(scraped.body());
        int longest = 0;
        while (label.find()) {
            longest = Math.max(longest, label.group(1).length());
        }
        assertThat(longest).as("model labels are configured names or 'other'").isBetween(5, 40);
    }

    /** 414 and 431 came with empty bodies; every refusal is OpenAI error JSON. */
    @Test
    void overLongUrisAndHeadersGetOpenAiErrors() throws Exception {
        HttpResponse<String> uri = HTTP.send(HttpRequest.newBuilder(
                URI.create(base + "v1/models?q=" + "a".repeat(9000))).header("Authorization", "Bearer " + Upstreams.ADMIN_KEY)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uri.statusCode()).isEqualTo(414);
        assertThat(uri.body()).contains("\"code\":\"uri_too_long\"").contains("\"type\":\"invalid_request_error\"");
        HttpResponse<String> headers = HTTP.send(HttpRequest.newBuilder(URI.create(base + "v1/models"))
                .header("Authorization", "Bearer " + Upstreams.ADMIN_KEY).header("x-padding", "p".repeat(40_000))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(headers.statusCode()).isEqualTo(431);
        assertThat(headers.body()).contains("\"code\":\"headers_too_large\"");
        given().contentType("application/json").body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "z".repeat(70_000) + "\"}]}").post("/v1/chat/completions").then().statusCode(413)
                .body("error.code", equalTo("request_too_large"));
    }

    /** "allowed_models": "chat" was stored as [] (every model); every admin field's type is strict. */
    @Test
    void adminJsonTypesAreStrict() {
        given().contentType("application/json").body("{\"name\":\"x\",\"team\":\"sales\",\"allowed_models\":\"chat\"}")
                .post("/admin/v1/keys").then().statusCode(400).body("error.param", equalTo("allowed_models"))
                .body("error.message", containsString("got a string"));
        given().contentType("application/json").body("{\"name\":\"x\",\"team\":\"sales\",\"expires_at\":\"2001-01-01T00:00:00Z\"}")
                .post("/admin/v1/keys").then().statusCode(400).body("error.param", equalTo("expires_at"));
        given().contentType("application/json").body("{\"name\":[\"x\"]}")
                .post("/admin/v1/keys").then().statusCode(400).body("error.param", equalTo("name"));
        given().contentType("application/json").body("{\"requests_per_minute\":\"60\"}")
                .put("/admin/v1/limits/team/sales").then().statusCode(400).body("error.param", equalTo("requests_per_minute"));
        given().contentType("application/json").body("{\"weights\":{\"v1\":\"90\",\"v2\":10}}")
                .put("/admin/v1/routes/canary/weights").then().statusCode(400).body("error.param", equalTo("weights.v1"));
        given().contentType("application/json").body("{\"requests_per_minute\":60}")
                .put("/admin/v1/limits/user/" + "u".repeat(201)).then().statusCode(400).body("error.param", equalTo("id"));
    }
}
