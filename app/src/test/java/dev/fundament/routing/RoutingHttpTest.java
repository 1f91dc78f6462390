package dev.fundament.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.EchoUpstream;
import dev.fundament.testing.Upstreams;
import dev.fundament.usage.Ledger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Routing conditions (team, header, key metadata, declared and found data classification), roll-outs
 * to a cohort, shadow traffic and active health checks, through the HTTP API.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RoutingHttpTest {

    @Inject
    Ledger ledger;

    private static String key(String team, String metadata) {
        return given().contentType("application/json")
                .body("{\"name\":\"routing-test\",\"team\":\"" + team + "\"" + metadata + "}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("key");
    }

    private static Response chat(String key, String model, String text, Map<String, String> headers, String requestId) {
        var request = given().header("Authorization", "Bearer " + key).header("x-request-id", requestId)
                .contentType("application/json");
        headers.forEach(request::header);
        return request.body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
                .post("/v1/chat/completions");
    }

    /** @return the upstream model that served one request, from its ledger entry */
    private String servedBy(String key, String model, String text, Map<String, String> headers) {
        String id = "routing-" + UUID.randomUUID();
        chat(key, model, text, headers, id).then().statusCode(200);
        return ledger.store().findByRequestId(id).getFirst().upstreamModel();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void targetsAreChosenByTheirConditions() {
        String design = key("design", "");
        assertThat(servedBy(key("sales", ""), "conditional", "hello", Map.of())).isEqualTo("for-sales");
        assertThat(servedBy(design, "conditional", "hello", Map.of("X-Lane", "fast"))).isEqualTo("for-fast-lane");
        assertThat(servedBy(key("design", ",\"metadata\":{\"app\":\"crm\"}"), "conditional", "hello", Map.of()))
                .isEqualTo("for-crm");
        assertThat(servedBy(design, "conditional", "hello", Map.of("X-Fundament-Classification", "confidential")))
                .as("declared classification").isEqualTo("for-sensitive");
        assertThat(servedBy(design, "conditional", "Please call Anna Schmidt at anna.schmidt@example.com", Map.of()))
                .as("personal data found by the guardrails").isEqualTo("for-sensitive");
        assertThat(servedBy(design, "conditional", "hello", Map.of())).isEqualTo("for-everyone");

        Response denied = chat(design, "sales-only", "hello", Map.of(), "routing-" + UUID.randomUUID());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.jsonPath().getString("error.message")).contains("No target of model 'sales-only' serves this request");

        JsonPath routes = given().get("/admin/v1/routes").then().statusCode(200).extract().jsonPath();
        assertThat(routes.getList("data.find { it.model == 'conditional' }.targets[0].when.teams")).containsExactly("sales");
    }

    @Test
    void aRolloutEnablesAModelForItsCohortOnly() {
        String design = key("design", "");
        String sales = key("sales", "");
        assertThat(servedBy(design, "rolled-out", "hello", Map.of())).isEqualTo("new-model");
        Response outside = chat(sales, "rolled-out", "hello", Map.of(), "routing-" + UUID.randomUUID());
        assertThat(outside.statusCode()).isEqualTo(403);
        assertThat(outside.jsonPath().getString("error.code")).isEqualTo("permission_denied");
        assertThat(outside.jsonPath().getString("error.message")).contains("being rolled out");

        List<String> forDesign = given().header("Authorization", "Bearer " + design).get("/v1/models").then()
                .statusCode(200).extract().path("data.id");
        List<String> forSales = given().header("Authorization", "Bearer " + sales).get("/v1/models").then()
                .statusCode(200).extract().path("data.id");
        assertThat(forDesign).contains("rolled-out");
        assertThat(forSales).doesNotContain("rolled-out").contains("conditional");

        int in = 0;
        for (int i = 0; i < 40; i++) {
            String user = "user-" + i;
            String body = "{\"model\":\"half-rolled-out\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            int first = given().header("Authorization", "Bearer " + sales).contentType("application/json").body(body)
                    .post("/v1/chat/completions").statusCode();
            int again = given().header("Authorization", "Bearer " + sales).contentType("application/json").body(body)
                    .post("/v1/chat/completions").statusCode();
            assertThat(again).as("sticky per user").isEqualTo(first);
            assertThat(first).isIn(200, 403);
            in += first == 200 ? 1 : 0;
        }
        assertThat(in).as("about half of the users").isBetween(8, 32);
    }

    @Test
    void shadowTrafficIsRecordedWithoutTouchingTheAnswer() {
        String key = key("sales", "");
        String marker = "shadow-" + UUID.randomUUID();
        String id = "routing-" + UUID.randomUUID();
        Response answer = chat(key, "shadowed", "Say " + marker, Map.of(), id);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("choices[0].message.content")).isEqualTo("Say " + marker);
        assertThat(ledger.store().findByRequestId(id)).hasSize(1).first()
                .satisfies(e -> assertThat(e.upstreamModel()).isEqualTo("echo"));

        await("the shadow result is recorded", () -> given().get("/admin/v1/routes/shadowed/shadow?limit=50").then()
                .statusCode(200).extract().jsonPath().getList("data.request_id").contains(id));
        JsonPath shadow = given().get("/admin/v1/routes/shadowed/shadow?limit=50").then().extract().jsonPath();
        Map<String, Object> row = shadow.getMap("data.find { it.request_id == '" + id + "' }");
        assertThat(row).extractingByKey("primary").asString().contains("echo-cloud/echo").contains("status=ok");
        assertThat(row).extractingByKey("shadow").asString().contains("echo-onprem/echo-candidate").contains("version=v2")
                .contains("Say " + marker);
        assertThat(((Number) row.get("similarity")).doubleValue()).isEqualTo(1.0);
        assertThat(shadow.getLong("summary.requests")).isPositive();
        assertThat(EchoUpstream.receivedBy("onprem")).anyMatch(b -> b.contains(marker) && b.contains("echo-candidate"));

        given().get("/admin/v1/routes/shadowed/shadow?limit=0").then().statusCode(400);
        given().get("/admin/v1/routes/no-such-model/shadow").then().statusCode(404);
    }

    @Test
    void aRequestNarrowedByResidencyIsNeverCopiedToTheShadow() {
        String councilKey = key("works-council", "");
        // markers without digits, so no run of them can look like a phone number or an ID to the guardrails
        String marker = "council-" + UUID.randomUUID().toString().replaceAll("[0-9-]", "x");
        chat(councilKey, "shadowed-residency", "Note for " + marker, Map.of(), "routing-" + UUID.randomUUID())
                .then().statusCode(200);
        String openMarker = "open-" + UUID.randomUUID().toString().replaceAll("[0-9-]", "x");
        chat(key("sales", ""), "shadowed-residency", "Note for " + openMarker, Map.of(), "routing-" + UUID.randomUUID())
                .then().statusCode(200);
        await("the other team's request is copied", () -> EchoUpstream.receivedBy("cloud").stream().anyMatch(b -> b.contains(openMarker)));
        assertThat(EchoUpstream.receivedBy("cloud")).noneMatch(b -> b.contains(marker));
    }

    @Test
    void aProviderFailingItsHealthCheckIsSkippedUntilItPasses() {
        String key = key("sales", "");
        await("the check has passed", () -> "up".equals(health()));
        String first = "checked-" + UUID.randomUUID();
        chat(key, "checked", first, Map.of(), "routing-" + UUID.randomUUID()).then().statusCode(200);
        assertThat(EchoUpstream.receivedBy("checked")).anyMatch(b -> b.contains(first));

        EchoUpstream.DOWN.add("checked");
        try {
            await("the provider is marked down", () -> "down".equals(health()));
            String during = "checked-" + UUID.randomUUID();
            chat(key, "checked", during, Map.of(), "routing-" + UUID.randomUUID()).then().statusCode(200);
            assertThat(EchoUpstream.receivedBy("checked")).noneMatch(b -> b.contains(during));
            assertThat(EchoUpstream.receivedBy("cloud")).anyMatch(b -> b.contains(during));
            assertThat(given().get("/admin/v1/routes").then().extract().jsonPath()
                    .getString("data.find { it.model == 'checked' }.targets[0].health_error")).contains("503");
        } finally {
            EchoUpstream.DOWN.remove("checked");
        }
        await("the provider is up again", () -> "up".equals(health()));
        String after = "checked-" + UUID.randomUUID();
        chat(key, "checked", after, Map.of(), "routing-" + UUID.randomUUID()).then().statusCode(200);
        assertThat(EchoUpstream.receivedBy("checked")).anyMatch(b -> b.contains(after));
    }

    private static String health() {
        return given().get("/admin/v1/routes").then().statusCode(200).extract().jsonPath()
                .getString("data.find { it.model == 'checked' }.targets[0].health");
    }
}
