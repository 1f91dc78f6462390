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
    void tokenLimitCountsMaxTokens() {
        String key = key("frugal");
        chat(key, ",\"max_tokens\":5000").then().statusCode(429)
                .body("error.message", containsString("team tokens per minute: limit 2000"))
                .body("error.message", containsString("max_tokens"));
        chat(key, ",\"max_tokens\":50").then().statusCode(200)
                .header("x-ratelimit-limit-tokens", equalTo("2000"));
    }
}
