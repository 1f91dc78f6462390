package dev.fundament.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input and upstream failure answers in OpenAI's error shape with the right status,
 * type and code, and a message that names the problem.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ErrorModelTest {

    private static final String HELLO = "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private static ValidatableResponse post(String path, String body) {
        return given().contentType("application/json").body(body).when().post(path).then()
                .contentType(startsWith("application/json"));
    }

    private static String chat(String model) {
        return HELLO.replace("gpt-sim", model);
    }

    @Test
    void malformedJsonIsInvalidJson() {
        post("/v1/chat/completions", "{\"model\": \"gpt-sim\", \"messages\": [")
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"))
                .body("error.message", containsString("not valid JSON"));
    }

    @Test
    void wrongFieldTypeNamesTheField() {
        post("/v1/chat/completions", "{\"model\":\"gpt-sim\",\"messages\":\"Hello\"}")
                .statusCode(400)
                .body("error.code", equalTo("invalid_type"))
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("expected an array"));
        post("/v1/chat/completions", "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}")
                .statusCode(400)
                .body("error.param", equalTo("temperature"))
                .body("error.message", containsString("expected a number"));
    }

    @Test
    void invalidRoleNamesItsPath() {
        post("/v1/chat/completions", "{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"robot\",\"content\":\"y\"}]}")
                .statusCode(400)
                .body("error.code", equalTo("invalid_request"))
                .body("error.param", equalTo("messages[1].role"))
                .body("error.message", containsString("'robot'"));
    }

    @Test
    void missingModelOrMessages() {
        post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("missing_required_parameter"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("'model'"));
        post("/v1/chat/completions", "{\"model\":\"gpt-sim\"}")
                .statusCode(400)
                .body("error.code", equalTo("missing_required_parameter"))
                .body("error.param", equalTo("messages"));
        post("/v1/embeddings", "{\"model\":\"embed-sim\"}")
                .statusCode(400)
                .body("error.param", equalTo("input"));
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        post("/v1/chat/completions", chat("gpt-nonexistent"))
                .statusCode(404)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("'gpt-nonexistent' does not exist"))
                .body("error.message", containsString("gpt-sim"));
        given().when().get("/v1/models/gpt-nonexistent").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void modelOfTheOtherKindIsRefused() {
        post("/v1/embeddings", "{\"model\":\"gpt-sim\",\"input\":\"x\"}")
                .statusCode(400)
                .body("error.code", equalTo("model_not_supported"))
                .body("error.message", containsString("/v1/chat/completions"));
    }

    @Test
    void oversizeBodyIs413() {
        String big = "x".repeat(70 * 1024);
        post("/v1/chat/completions", chat("gpt-sim").replace("Hello", big))
                .statusCode(413)
                .body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("server.max_body_size"));
    }

    @Test
    void wrongContentTypeIs415() {
        given().contentType("text/plain").body(HELLO).when().post("/v1/chat/completions").then()
                .statusCode(415)
                .contentType(startsWith("application/json"))
                .body("error.code", equalTo("unsupported_media_type"))
                .body("error.message", containsString("application/json"));
    }

    @Test
    void wrongMethodIs405WithAllow() {
        given().when().get("/v1/chat/completions").then()
                .statusCode(405)
                .header("Allow", "POST")
                .contentType(startsWith("application/json"))
                .body("error.code", equalTo("method_not_allowed"))
                .body("error.message", containsString("use POST"));
        given().contentType("application/json").body("{}").when().delete("/v1/models").then()
                .statusCode(405).header("Allow", "GET");
    }

    @Test
    void unknownPathIs404InOpenAiShape() {
        given().when().get("/v1/completions-nonexistent").then()
                .statusCode(404)
                .contentType(startsWith("application/json"))
                .body("error.code", equalTo("not_found"))
                .body("error.message", containsString("/v1/chat/completions"));
    }

    @Test
    void upstreamBadRequestKeepsItsMessage() {
        post("/v1/chat/completions", chat("upstream-400"))
                .statusCode(400)
                .body("error.code", equalTo("upstream_bad_request"))
                .body("error.message", equalTo("Invalid 'temperature': decimal above maximum value."));
    }

    @Test
    void upstreamCredentialFailureIsOurs502() {
        post("/v1/chat/completions", chat("bad-credentials"))
                .statusCode(502)
                .body("error.type", equalTo("api_error"))
                .body("error.code", equalTo("upstream_auth_failed"))
                .body("error.message", containsString("providers.wrong-key.api_key"))
                .body("error.message", not(containsString("sk-wrong")));
    }

    @Test
    void upstreamRateLimitPassesThroughWithRetryAfter() {
        post("/v1/chat/completions", chat("rate-limited"))
                .statusCode(429)
                .header("Retry-After", "1")
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"));
    }

    @Test
    void upstream5xxIs502() {
        post("/v1/chat/completions", chat("always-500"))
                .statusCode(502)
                .body("error.code", equalTo("upstream_error"))
                .body("error.message", containsString("HTTP 500"));
    }

    @Test
    void upstreamTimeoutIs504() {
        post("/v1/chat/completions", chat("too-slow"))
                .statusCode(504)
                .body("error.code", equalTo("upstream_timeout"))
                .body("error.message", containsString("providers.sim-late.timeouts"));
    }

    @Test
    void answerSlowerThanTheTotalLimitIs504() {
        post("/v1/chat/completions", chat("too-long"))
                .statusCode(504)
                .body("error.code", equalTo("upstream_timeout"))
                .body("error.message", containsString("did not finish within 500 ms"))
                .body("error.message", containsString("providers.sim-long.timeouts.total"));
    }

    @Test
    void unreachableUpstreamIs502() {
        post("/v1/chat/completions", chat("unreachable"))
                .statusCode(502)
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", containsString("providers.nowhere.base_url"));
    }

    @Test
    void fallbackTriesTheNextTarget() {
        post("/v1/chat/completions", chat("with-fallback"))
                .statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("second-choice"));
    }

    @Test
    void streamThatBreaksEndsWithErrorEventNotDone() {
        String body = given().contentType("application/json")
                .body("{\"model\":\"broken-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .contains("\"code\":\"stream_interrupted\"")
                .doesNotContain("[DONE]");
    }

    @Test
    void requestIdIsEchoedOrMade() {
        given().header("x-request-id", "trace-123").when().get("/v1/models").then()
                .statusCode(200).header("x-request-id", "trace-123");
        given().when().get("/v1/models").then()
                .statusCode(200).header("x-request-id", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}"));
        post("/v1/chat/completions", "{").header("x-request-id", org.hamcrest.Matchers.notNullValue())
                .body("error.param", nullValue());
    }
}
