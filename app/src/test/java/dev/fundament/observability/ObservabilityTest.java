package dev.fundament.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.LogCapture;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Metrics after the GenAI conventions, health, the API description, and what logs may contain. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ObservabilityTest {

    @Test
    void requestsAppearInGenAiMetrics() {
        given().contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"metrics\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().contentType("application/json")
                .body("{\"model\":\"always-500\",\"messages\":[{\"role\":\"user\",\"content\":\"metrics\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(502);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("gen_ai_server_request_duration_seconds_count\\{[^}]*error_type=\"none\"[^}]*gen_ai_operation_name=\"chat\"[^}]*gen_ai_provider_name=\"sim\"[^}]*gen_ai_request_model=\"gpt-sim\"[^}]*} [1-9]")
                .containsPattern("gen_ai_server_time_to_first_token_seconds_count\\{[^}]*gen_ai_request_model=\"gpt-sim\"[^}]*} [1-9]")
                .containsPattern("gen_ai_client_token_usage_tokens_count\\{[^}]*gen_ai_request_model=\"gpt-sim\"[^}]*gen_ai_token_type=\"output\"[^}]*} [1-9]")
                .containsPattern("fundament_requests_total\\{[^}]*error_type=\"upstream_error\"[^}]*gen_ai_provider_name=\"sim-500\"[^}]*} [1-9]");
    }

    @Test
    void healthEndpoints() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().body("checks.name", org.hamcrest.Matchers.hasItem("gateway"));
    }

    @Test
    void apiDescriptionAndSwaggerUi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/chat/completions")).body(containsString("/v1/embeddings"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void logLinesCarryTheRequestIdButNoPromptText() {
        try (LogCapture capture = new LogCapture()) {
            String secret = "Patient Erika Mustermann, diagnosis confidential-7731";
            given().header("x-request-id", "log-check-1").contentType("application/json")
                    .body("{\"model\":\"always-500\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}]}")
                    .when().post("/v1/chat/completions").then().statusCode(502);
            given().header("x-request-id", "log-check-2").contentType("application/json")
                    .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}]}")
                    .when().post("/v1/chat/completions").then().statusCode(200);
            List<ExtLogRecord> ours = capture.records();
            assertThat(ours).as("the upstream failure is logged").isNotEmpty();
            assertThat(capture.lines()).allSatisfy(line -> assertThat(line).doesNotContain("confidential-7731"));
            assertThat(ours).anySatisfy(r -> assertThat(r.getMdc("request_id")).isEqualTo("log-check-1"));
        }
    }
}
