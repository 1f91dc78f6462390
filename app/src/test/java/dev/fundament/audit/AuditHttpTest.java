package dev.fundament.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail over HTTP: what a request and an admin action leave behind, and who may read it. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class AuditHttpTest {

    private static String key(String body) {
        return given().contentType("application/json").body(body).post("/admin/v1/keys").then().statusCode(201)
                .extract().path("key");
    }

    @Test
    void everyRequestAndAdminActionIsRecordedAndTheChainVerifies() {
        String user = "audited-" + UUID.randomUUID();
        String userKey = key("{\"name\":\"" + user + "\",\"team\":\"sales\"}");
        String requestId = "audit-" + UUID.randomUUID();
        String body = "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        given().header("Authorization", "Bearer " + userKey).header("x-request-id", requestId).contentType("application/json")
                .body(body).post("/v1/chat/completions").then().statusCode(200);

        JsonPath access = given().get("/admin/v1/audit/subjects/" + user).then().statusCode(200)
                .body("object", equalTo("data_subject_access")).extract().jsonPath();
        assertThat(access.getList("data.request_id", String.class)).containsExactly(requestId);
        assertThat(access.getString("data[0].kind")).isEqualTo("request");
        assertThat(access.getString("data[0].route")).isEqualTo("gpt-sim");
        assertThat(access.getString("data[0].request_sha256")).isEqualTo(AuditChain.sha256(body));
        assertThat(access.getString("data[0].key_prefix")).isEqualTo(userKey.substring(0, 12));
        assertThat(access.getString("data[0].response_sha256")).hasSize(64);

        String export = given().get("/admin/v1/audit/records").then().statusCode(200)
                .header("Content-Type", containsString("application/x-ndjson")).extract().asString();
        assertThat(export).contains("\"action\":\"key.create\"").contains(requestId).doesNotContain(userKey);

        given().get("/admin/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));

        String embedding = "{\"model\":\"embed-sim\",\"input\":\"hello\"}";
        String embeddingId = "audit-emb-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + userKey).header("x-request-id", embeddingId).contentType("application/json")
                .body(embedding).post("/v1/embeddings").then().statusCode(200);
        JsonPath after = given().get("/admin/v1/audit/subjects/" + user).then().statusCode(200).extract().jsonPath();
        assertThat(after.getString("data.find { it.request_id == '" + embeddingId + "' }.request_sha256"))
                .isEqualTo(AuditChain.sha256(embedding));
    }

    @Test
    void auditorsReadAndNobodyEdits() {
        String auditor = key("{\"name\":\"dpo\",\"roles\":[\"auditor\"]}");
        String user = key("{\"name\":\"someone\",\"team\":\"sales\"}");
        given().header("Authorization", "Bearer " + auditor).get("/admin/v1/audit/verify").then().statusCode(200);
        given().header("Authorization", "Bearer " + auditor).get("/admin/v1/audit/subjects/nobody-known")
                .then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
        given().header("Authorization", "Bearer " + auditor).delete("/admin/v1/audit/subjects/someone/payloads")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + user).get("/admin/v1/audit/verify").then().statusCode(403);
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            given().contentType("application/json").body("{}").request(method, "/admin/v1/audit/records").then()
                    .statusCode(404).body("error.message", containsString("nothing edits a record"));
        }
    }

    @Test
    void badExportRangesNameTheField() {
        given().get("/admin/v1/audit/records?from=yesterday&to=2026-13-40").then().statusCode(400)
                .body("error.param", equalTo("from"))
                .body("error.message", containsString("'from'"))
                .body("error.message", containsString("'to'"));
    }

    @Test
    void recordsOfProcessingComeFromTheConfiguration() {
        JsonPath report = given().get("/admin/v1/audit/processing").then().statusCode(200)
                .body("object", equalTo("records_of_processing")).extract().jsonPath();
        assertThat(report.getString("routes.find { it.model == 'echo' }.personal_data.person"))
                .contains("pseudonymised before sending by 'pii-to-cloud'");
        assertThat(report.getString("routes.find { it.model == 'gpt-sim' }.personal_data.email")).isEqualTo("sent as is (no policy)");
        assertThat(report.getList("routes.find { it.model == 'mixed' }.recipients.labels.flatten()", String.class))
                .contains("on-prem");
        assertThat(report.getString("routes.find { it.model == 'mixed' }.residency[0].rule")).isEqualTo("personal-data-on-prem");
        assertThat(report.getInt("retention.audit_records_days")).isEqualTo(400);
    }

    @Test
    void routesShowTheirTargetsState() {
        JsonPath routes = given().get("/admin/v1/routes").then().statusCode(200).extract().jsonPath();
        assertThat(routes.getList("data.find { it.model == 'with-fallback' }.targets.provider", String.class))
                .containsExactly("sim-500", "sim");
        assertThat(routes.getString("data.find { it.model == 'with-fallback' }.targets[1].breaker")).isIn("closed", "half_open", "open");
        assertThat(routes.getInt("data.find { it.model == 'gpt-sim' }.targets[0].in_flight")).isZero();
        String user = key("{\"name\":\"nosy\",\"team\":\"sales\"}");
        given().header("Authorization", "Bearer " + user).get("/admin/v1/routes").then().statusCode(403);
    }
}
