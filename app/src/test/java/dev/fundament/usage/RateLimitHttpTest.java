package dev.fundament.usage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits from fundament.yaml over HTTP: team 'limited' may send 3 requests a minute, 'frugal' 2,000 tokens. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RateLimitHttpTest {

    private static String key(String team) {
        return given().contentType("application/json").body("{\"name\":\"app\",\"team\":\"" + team + "\"}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("key");
    }

    private static Response chat(String key, String extra) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}")
                .post("/v1/chat/completions");
    }

    @Test
    void requestsPerMinuteAreExactAndRefusalsCarryRetryAfter() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long window = System.currentTimeMillis() / 60_000;
            String key = key("limited");
            List<Response> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(chat(key, ""));
            }
            if (System.currentTimeMillis() / 60_000 != window) {
                continue;
            }
            assertThat(answers).extracting(Response::statusCode).containsExactly(200, 200, 200, 429, 429);
            assertThat(answers.get(0).header("x-ratelimit-limit-requests")).isEqualTo("3");
            assertThat(answers.get(2).header("x-ratelimit-remaining-requests")).isEqualTo("0");
            Response refused = answers.get(3);
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
            assertThat(refused.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
            assertThat(refused.jsonPath().getString("error.message")).contains("team requests per minute: limit 3");
            return;
        }
        throw new AssertionError("three minute boundaries in a row");
    }

    @Test
    void anAdminSetKeyLimitAppliesAtOnceAndGoesAwayWithDelete() {
        for (int attempt = 0; attempt < 3; attempt++) {
            long window = System.currentTimeMillis() / 60_000;
            var created = given().contentType("application/json").body("{\"name\":\"bot\",\"team\":\"sales\"}")
                    .post("/admin/v1/keys").then().statusCode(201).extract();
            String key = created.path("key");
            String id = created.path("id");
            given().contentType("application/json").body("{\"requests_per_minute\":2}").put("/admin/v1/limits/key/" + id)
                    .then().statusCode(200).body("scope", equalTo("key")).body("team", equalTo("sales"))
                    .body("tokens_per_minute", org.hamcrest.Matchers.nullValue());
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(chat(key, "").statusCode());
            }
            Response refused = chat(key, "");
            given().delete("/admin/v1/limits/key/" + id).then().statusCode(200).body("deleted", equalTo(true));
            int afterDelete = chat(key, "").statusCode();
            if (System.currentTimeMillis() / 60_000 != window) {
                continue;
            }
            assertThat(codes).containsExactly(200, 200, 429);
            assertThat(refused.jsonPath().getString("error.message")).contains("key requests per minute: limit 2");
            assertThat(afterDelete).isEqualTo(200);
            given().delete("/admin/v1/limits/key/" + id).then().statusCode(404);
            return;
        }
        throw new AssertionError("three minute boundaries in a row");
    }

    @Test
    void teamAdminsSetTheirOwnKeysLimitsOnly() {
        String lead = given().contentType("application/json")
                .body("{\"name\":\"lead\",\"team\":\"sales\",\"roles\":[\"team-admin\"]}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("key");
        String own = given().header("Authorization", "Bearer " + lead).contentType("application/json")
                .body("{\"name\":\"own\"}").post("/admin/v1/keys").then().statusCode(201).extract().path("id");
        String other = given().contentType("application/json").body("{\"name\":\"hr-bot\",\"team\":\"hr\"}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("id");
        given().contentType("application/json").body("{\"tokens_per_minute\":999}").put("/admin/v1/limits/key/" + other)
                .then().statusCode(200);

        given().header("Authorization", "Bearer " + lead).contentType("application/json").body("{\"tokens_per_minute\":5000}")
                .put("/admin/v1/limits/key/" + own).then().statusCode(200);
        given().header("Authorization", "Bearer " + lead).contentType("application/json").body("{}")
                .put("/admin/v1/limits/key/" + other).then().statusCode(404);
        given().header("Authorization", "Bearer " + lead).delete("/admin/v1/limits/key/" + other).then().statusCode(404);
        given().header("Authorization", "Bearer " + lead).contentType("application/json").body("{\"requests_per_minute\":1000}")
                .put("/admin/v1/limits/team/sales").then().statusCode(403).body("error.code", equalTo("permission_denied"));
        List<String> seen = given().header("Authorization", "Bearer " + lead).get("/admin/v1/limits")
                .then().statusCode(200).extract().path("data.subject");
        assertThat(seen).contains(own).doesNotContain(other);
        assertThat(given().get("/admin/v1/limits").then().statusCode(200).extract().<List<String>>path("data.subject"))
                .contains(own, other);
    }

    @Test
    void badLimitRequestsNameEveryBadField() {
        given().contentType("application/json").body("{\"requests_per_minute\":-1,\"tokens_per_minute\":\"lots\",\"burst\":3}")
                .put("/admin/v1/limits/team/sales").then().statusCode(400)
                .body("error.param", equalTo("burst"))
                .body("error.message", containsString("'requests_per_minute'"))
                .body("error.message", containsString("'tokens_per_minute'"))
                .body("error.message", containsString("'burst': unknown field"));
        given().contentType("application/json").body("{}").put("/admin/v1/limits/galaxy/x").then().statusCode(404)
                .body("error.message", containsString("key, user, team or model"));
        given().contentType("application/json").body("{}").put("/admin/v1/limits/team/nope").then().statusCode(404);
        given().contentType("application/json").body("{}").put("/admin/v1/limits/team").then().statusCode(404);
    }

    @Test
    void tokenLimitCountsMaxTokens() {
        String key = key("frugal");
        chat(key, ",\"max_tokens\":5000").then().statusCode(429)
                .body("error.message", containsString("team tokens per minute: limit 2000"))
                .body("error.message", containsString("max_tokens"));
        chat(key, ",\"max_tokens\":50").then().statusCode(200)
                .header("x-ratelimit-limit-tokens", equalTo("2000"));
    }
}
