package dev.fundament.usage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every answer has its ledger entry; reports, CSV and ROI read it under the role rules. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class LedgerHttpTest {

    @Inject
    Ledger ledger;

    private static String key(String team, String extra) {
        return given().contentType("application/json")
                .body("{\"name\":\"app\",\"team\":\"" + team + "\"" + extra + "}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("key");
    }

    private static JsonPath chat(String key, String model, String requestId) {
        return given().header("Authorization", "Bearer " + key).header("x-request-id", requestId)
                .contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Draft a reply\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theEntryIsCommittedBeforeTheAnswerArrives() {
        String key = key("sales", "");
        for (int i = 0; i < 5; i++) {
            String id = "ledger-" + UUID.randomUUID();
            chat(key, "gpt-sim", id);
            assertThat(ledger.store().countByRequestId(id)).as("entry present when the response is received").isEqualTo(1);
        }
        String failed = "ledger-failed-" + UUID.randomUUID();
        given().header("x-request-id", failed).contentType("application/json")
                .body("{\"model\":\"always-500\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(502);
        assertThat(ledger.store().countByRequestId(failed)).isEqualTo(1);
    }

    @Test
    void costsReportsCsvAndRoi() {
        String key = key("marketing", ",\"metadata\":{\"use_case\":\"email-drafts\"}");
        long expectedMicros = 0;
        for (int i = 0; i < 2; i++) {
            JsonPath answer = chat(key, "reporting", "roi-" + UUID.randomUUID());
            expectedMicros += answer.getLong("usage.prompt_tokens") * 1000 + answer.getLong("usage.completion_tokens") * 2000;
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonPath report = given().get("/admin/v1/usage?group_by=team&team=marketing&from=" + today + "&to=" + today)
                .then().statusCode(200).body("currency", equalTo("EUR")).extract().jsonPath();
        assertThat(report.getString("data[0].group")).isEqualTo("marketing");
        assertThat(report.getLong("data[0].requests")).isEqualTo(2);
        assertThat(report.getDouble("data[0].cost")).isCloseTo(expectedMicros / 1e6, org.assertj.core.data.Offset.offset(1e-6));

        String csv = given().get("/admin/v1/usage?group_by=model&team=marketing&format=csv&from=" + today + "&to=" + today)
                .then().statusCode(200).header("Content-Type", containsString("text/csv")).extract().asString();
        assertThat(csv.lines()).first().isEqualTo("group,requests,errors,input_tokens,output_tokens,cached_tokens,cost_eur");
        assertThat(csv).contains("\nreporting,2,0,");

        JsonPath roi = given().get("/admin/v1/usage/roi?team=marketing&from=" + today + "&to=" + today)
                .then().statusCode(200).extract().jsonPath();
        assertThat(roi.getString("data[0].use_case")).isEqualTo("email-drafts");
        assertThat(roi.getDouble("data[0].hours_saved")).isEqualTo(0.2);
        assertThat(roi.getDouble("data[0].value_saved")).isEqualTo(8.0);
        assertThat(roi.getDouble("data[0].net")).isCloseTo(8.0 - expectedMicros / 1e6, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void reportsFollowTheRoleRules() {
        String financeAdmin = key("finance", ",\"roles\":[\"team-admin\"]");
        String financeUser = key("finance", "");
        chat(financeUser, "gpt-sim", "finance-" + UUID.randomUUID());
        given().header("Authorization", "Bearer " + financeAdmin).get("/admin/v1/usage?group_by=team")
                .then().statusCode(200).body("data.group", org.hamcrest.Matchers.everyItem(equalTo("finance")));
        given().header("Authorization", "Bearer " + financeAdmin).get("/admin/v1/usage?group_by=team&team=sales")
                .then().statusCode(403).body("error.code", equalTo("permission_denied"));
        given().header("Authorization", "Bearer " + financeUser).get("/admin/v1/usage").then().statusCode(403);
    }

    @Test
    void budgetsShowTheirSpendUnderTheRoleRules() throws Exception {
        String financeAdmin = key("finance", ",\"roles\":[\"team-admin\"]");
        chat(key("finance", ""), "gpt-sim", "finance-" + UUID.randomUUID());
        var own = given().header("Authorization", "Bearer " + financeAdmin).get("/admin/v1/budgets").then().statusCode(200)
                .body("currency", equalTo("EUR")).extract().jsonPath();
        assertThat(own.getList("data.subject")).containsOnly("finance");
        assertThat(own.getString("data[0].period")).isEqualTo("month");
        assertThat(own.getDouble("data[0].limit")).isEqualTo(500.0);
        assertThat(own.getDouble("data[0].spent")).isPositive();
        // read as decimals: JsonPath's floats would round 499.999999 up to 500
        com.fasterxml.jackson.databind.JsonNode exact = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(
                        given().header("Authorization", "Bearer " + financeAdmin).get("/admin/v1/budgets").asString());
        java.math.BigDecimal remaining = exact.at("/data/0/remaining").decimalValue();
        assertThat(remaining.add(exact.at("/data/0/spent").decimalValue())).isEqualByComparingTo("500");
        assertThat(remaining).isLessThan(new java.math.BigDecimal("500"));

        var all = given().get("/admin/v1/budgets").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("data.subject")).contains("budgeted", "finance", "someone.else");
        given().header("Authorization", "Bearer " + key("finance", "")).get("/admin/v1/budgets").then().statusCode(403);
        given().contentType("application/json").body("{}").post("/admin/v1/budgets").then().statusCode(405);
    }

    @Test
    void anExhaustedBudgetAnswersInsufficientQuota() {
        String key = key("budgeted", "");
        // worst case: (prompt + 10,000 completion tokens) × 2,000 EUR per million ≈ 20 EUR > the 10 EUR daily cap
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"model\":\"reporting\",\"max_tokens\":10000,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error.type", equalTo("insufficient_quota"))
                .body("error.code", equalTo("insufficient_quota"))
                .body("error.message", containsString("daily budget of team 'budgeted' (10.00 EUR)"))
                .body("error.message", containsString("resets at"));
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"model\":\"reporting\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
    }

    @Test
    void badReportQueriesNameEachParameter() {
        given().get("/admin/v1/usage?group_by=colour&from=yesterday&format=xml").then().statusCode(400)
                .body("error.param", equalTo("group_by"))
                .body("error.message", containsString("'group_by'"))
                .body("error.message", containsString("'from'"))
                .body("error.message", containsString("'format'"));
    }
}
