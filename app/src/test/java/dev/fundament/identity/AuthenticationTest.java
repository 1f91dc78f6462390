package dev.fundament.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys over HTTP: every /v1 and /admin request is authenticated, revocation and rotation take effect
 * at once, allow-lists hold, and a team admin never sees or changes another team's keys.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class AuthenticationTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL injected;
    static java.net.URL base;

    @org.junit.jupiter.api.BeforeEach
    void remember() {
        base = injected;
    }

    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    private static ValidatableResponse chat(String key, String model) {
        return given()
                .header("Authorization", "Bearer " + key).contentType("application/json")
                .body(CHAT.formatted(model)).when().post("/v1/chat/completions").then();
    }

    /** A request with exactly the given Authorization header (none when null), bypassing the tests' default. */
    private static java.net.http.HttpResponse<String> raw(String method, String path, String authorization) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path.substring(1)))
                .header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? java.net.http.HttpRequest.BodyPublishers.ofString(CHAT.formatted("gpt-sim"))
                        : java.net.http.HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static String createKey(String actorKey, String body) {
        return given()
                .header("Authorization", "Bearer " + actorKey).contentType("application/json").body(body)
                .when().post("/admin/v1/keys").then().statusCode(201).extract().path("key");
    }

    private static String idOf(String actorKey, String body) {
        return given()
                .header("Authorization", "Bearer " + actorKey).contentType("application/json").body(body)
                .when().post("/admin/v1/keys").then().statusCode(201).extract().path("id");
    }

    private static ValidatableResponse admin(String key, String method, String path) {
        var spec = given()
                .header("Authorization", "Bearer " + key);
        return (switch (method) {
            case "GET" -> spec.get(path);
            case "DELETE" -> spec.delete(path);
            default -> spec.post(path);
        }).then();
    }

    @Test
    void missingMalformedAndUnknownCredentialsAre401WithoutEchoingThem() throws Exception {
        var missing = raw("POST", "/v1/chat/completions", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Bearer"));
        assertThat(missing.body()).contains("\"code\":\"invalid_api_key\"").contains("Authorization: Bearer");
        var basic = raw("POST", "/v1/chat/completions", "Basic dXNlcjpwYXNz");
        assertThat(basic.statusCode()).isEqualTo(401);
        String guessed = "fk-guessedGuessedGuessedGuessed0123456789";
        var unknown = raw("POST", "/v1/chat/completions", "Bearer " + guessed);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("not valid").doesNotContain("guessed");
        var adminAnon = raw("GET", "/admin/v1/keys", null);
        assertThat(adminAnon.statusCode()).isEqualTo(401);
        assertThat(adminAnon.body()).contains("invalid_api_key");
    }

    @Test
    void noKeyOrTokenEverAppearsInALogLineOrTheLedger() throws Exception {
        String guessed = "fk-leakCheckLeakCheckLeakCheck0123456789x";
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFrLWNoZWNrIn0.bGVhay1jaGVjay1zaWduYXR1cmU";
        String key;
        String rotated;
        try (dev.fundament.testing.LogCapture capture = new dev.fundament.testing.LogCapture()) {
            key = createKey(Upstreams.ADMIN_KEY, "{\"name\":\"leak-check\",\"team\":\"sales\"}");
            chat(key, "gpt-sim").statusCode(200);
            chat(key, "always-500").statusCode(502);
            String id = admin(Upstreams.ADMIN_KEY, "GET", "/admin/v1/keys?team=sales").extract().jsonPath()
                    .getString("data.find { it.prefix == '" + key.substring(0, 12) + "' }.id");
            rotated = admin(Upstreams.ADMIN_KEY, "POST", "/admin/v1/keys/" + id + "/rotate").statusCode(200).extract().path("key");
            chat(key, "gpt-sim").statusCode(401);
            chat(guessed, "gpt-sim").statusCode(401);
            chat(token, "gpt-sim").statusCode(401);
            assertThat(capture.lines()).as("key events are logged").anySatisfy(l -> assertThat(l).contains(key.substring(0, 12)));
            assertThat(capture.lines()).allSatisfy(line -> assertThat(line)
                    .doesNotContain(key).doesNotContain(rotated).doesNotContain(guessed).doesNotContain(token)
                    .doesNotContain(Upstreams.ADMIN_KEY).doesNotContain(key.substring(12)));
        }
        String csv = given().get("/admin/v1/usage?group_by=key&format=csv").then().statusCode(200).extract().asString();
        assertThat(csv).contains(key.substring(0, 12)).doesNotContain(key).doesNotContain(key.substring(12));
    }

    @Test
    void revokedKeyStopsAtOnceAndRotationSwapsKeys() {
        String key = createKey(Upstreams.ADMIN_KEY, "{\"name\":\"crm-bot\",\"team\":\"sales\",\"service\":true}");
        assertThat(key).startsWith("fk-").hasSize(43);
        chat(key, "gpt-sim").statusCode(200);
        String id = admin(Upstreams.ADMIN_KEY, "GET", "/admin/v1/keys?team=sales").statusCode(200).extract()
                .jsonPath().getString("data.find { it.prefix == '" + key.substring(0, 12) + "' }.id");

        String rotated = admin(Upstreams.ADMIN_KEY, "POST", "/admin/v1/keys/" + id + "/rotate").statusCode(200)
                .body("name", equalTo("crm-bot")).body("team", equalTo("sales")).extract().path("key");
        chat(key, "gpt-sim").statusCode(401).body("error.message", containsString("revoked"));
        chat(rotated, "gpt-sim").statusCode(200);

        String rotatedId = admin(Upstreams.ADMIN_KEY, "GET", "/admin/v1/keys/" + id).statusCode(200)
                .body("revoked_at", not(equalTo(null))).extract().path("replaced_by");
        admin(Upstreams.ADMIN_KEY, "DELETE", "/admin/v1/keys/" + rotatedId).statusCode(200)
                .body("revoked_at", not(equalTo(null)));
        chat(rotated, "gpt-sim").statusCode(401).body("error.message", containsString("revoked"));
        admin(Upstreams.ADMIN_KEY, "DELETE", "/admin/v1/keys/" + rotatedId).statusCode(409);
    }

    @jakarta.inject.Inject
    ApiKeyStore store;

    /** A key past its expiry (stored directly: the admin API refuses to make one already expired). */
    @Test
    void expiredKeyIsRefused() {
        KeyMaterial.NewKey material = KeyMaterial.generate();
        Instant past = Instant.now().minusSeconds(60);
        store.insert(new ApiKey(java.util.UUID.randomUUID().toString(), material.prefix(), material.hash(), "temp", false, "temp",
                "sales", java.util.Set.of(Role.USER), java.util.Set.of(), java.util.Map.of(), past.minusSeconds(60), past, null, null));
        chat(material.plaintext(), "gpt-sim").statusCode(401).body("error.message", containsString("expired"));
    }

    @Test
    void allowListsOfKeyAndTeamHold() {
        String narrow = createKey(Upstreams.ADMIN_KEY, "{\"name\":\"narrow\",\"team\":\"sales\",\"allowed_models\":[\"gpt-sim\"]}");
        chat(narrow, "gpt-sim").statusCode(200);
        chat(narrow, "always-500").statusCode(403).body("error.code", equalTo("model_not_allowed"))
                .body("error.param", equalTo("model"));

        String hr = createKey(Upstreams.ADMIN_KEY, "{\"name\":\"hr-app\",\"team\":\"hr\"}");
        chat(hr, "gpt-sim").statusCode(200);
        chat(hr, "with-fallback").statusCode(403).body("error.code", equalTo("model_not_allowed"));
        chat(hr, "sim/direct-model").statusCode(403);
        List<String> visible = as(hr).when().get("/v1/models").then().statusCode(200).extract().path("data.id");
        assertThat(visible).as("the team's allow-list, rag/handbook included: the team may search that collection")
                .containsExactlyInAnyOrder("gpt-sim", "embed-sim", "rag/handbook");
        as(hr).when().get("/v1/models/with-fallback").then().statusCode(404);
    }

    @Test
    void teamAdminStaysInsideItsTeam() {
        String salesAdmin = createKey(Upstreams.ADMIN_KEY, "{\"name\":\"sales-lead\",\"team\":\"sales\",\"roles\":[\"team-admin\"]}");
        String hrKeyId = idOf(Upstreams.ADMIN_KEY, "{\"name\":\"hr-only\",\"team\":\"hr\"}");

        String salesUser = createKey(salesAdmin, "{\"name\":\"sales-user\"}");
        admin(salesAdmin, "GET", "/admin/v1/keys/" + hrKeyId).statusCode(404);
        admin(salesAdmin, "POST", "/admin/v1/keys/" + hrKeyId + "/rotate").statusCode(404);
        admin(salesAdmin, "DELETE", "/admin/v1/keys/" + hrKeyId).statusCode(404);
        admin(salesAdmin, "GET", "/admin/v1/keys?team=hr").statusCode(403).body("error.code", equalTo("permission_denied"));
        List<String> teams = admin(salesAdmin, "GET", "/admin/v1/keys").statusCode(200).extract().path("data.team");
        assertThat(teams).isNotEmpty().containsOnly("sales");

        given()
                .header("Authorization", "Bearer " + salesAdmin).contentType("application/json")
                .body("{\"name\":\"x\",\"team\":\"hr\"}").post("/admin/v1/keys").then().statusCode(403);
        given()
                .header("Authorization", "Bearer " + salesAdmin).contentType("application/json")
                .body("{\"name\":\"x\",\"roles\":[\"admin\"]}").post("/admin/v1/keys").then().statusCode(403);
        admin(salesUser, "GET", "/admin/v1/keys").statusCode(403);
        admin(Upstreams.ADMIN_KEY, "GET", "/admin/v1/keys/" + hrKeyId).statusCode(200).body("revoked_at", equalTo(null));
    }

    @Test
    void badAdminRequestsNameEachField() {
        given()
                .header("Authorization", "Bearer " + Upstreams.ADMIN_KEY).contentType("application/json")
                .body("{\"roles\":[\"boss\"],\"metadata\":[1],\"colour\":\"red\",\"expires_at\":\"tomorrow\"}")
                .post("/admin/v1/keys").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("'name': required"))
                .body("error.message", containsString("'roles': unknown role 'boss'"))
                .body("error.message", containsString("'metadata'"))
                .body("error.message", containsString("'colour': unknown field"))
                .body("error.message", containsString("'expires_at'"));
        given()
                .header("Authorization", "Bearer " + Upstreams.ADMIN_KEY).contentType("application/json")
                .body("{\"name\":\"x\",\"team\":\"treasury\"}").post("/admin/v1/keys").then().statusCode(400)
                .body("error.param", equalTo("team")).body("error.message", containsString("identity.teams"));
    }
}
