package dev.fundament.clients;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How each OpenAI flavour is called, and direct provider/model names. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ProviderFlavoursTest {

    @Test
    void azureUsesTheDeploymentUrlApiVersionAndApiKeyHeader() {
        given().contentType("application/json")
                .body("{\"model\":\"azure-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hallo\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo("Hallo aus Azure"))
                .body("usage.total_tokens", equalTo(8));
        assertThat(Upstreams.recordedUri)
                .isEqualTo("/openai/deployments/my-gpt4o-deployment/chat/completions?api-version=2024-10-21");
        assertThat(Upstreams.recordedHeaders.get("api-key")).isEqualTo("azure-test-key");
        assertThat(Upstreams.recordedHeaders.get("Authorization")).isNull();
        assertThat(Upstreams.recordedHeaders.get("x-cost-centre")).isEqualTo("it-42");
    }

    @Test
    void providerSlashModelReachesThatModelDirectly() {
        given().contentType("application/json")
                .body("{\"model\":\"sim/any-upstream-model\",\"messages\":[{\"role\":\"user\",\"content\":\"direct-route\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("model", equalTo("any-upstream-model"));
        List<JsonNode> seen = Upstreams.healthy.requests();
        assertThat(seen).anySatisfy(r -> {
            assertThat(r.toString()).contains("direct-route");
            assertThat(r.get("model").asText()).isEqualTo("any-upstream-model");
        });
        given().when().get("/v1/models/sim/any-upstream-model").then().statusCode(200)
                .body("id", equalTo("sim/any-upstream-model")).body("owned_by", equalTo("sim"));
    }

    @Test
    void embeddingDimensionsReachTheUpstream() {
        given().contentType("application/json")
                .body("{\"model\":\"embed-sim\",\"input\":\"short\",\"dimensions\":256}")
                .when().post("/v1/embeddings").then().statusCode(200)
                .body("data[0].embedding.size()", equalTo(256));
    }
}
