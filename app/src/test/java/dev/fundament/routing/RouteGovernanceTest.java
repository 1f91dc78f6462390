package dev.fundament.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import dev.fundament.usage.Ledger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A canary promoted and rolled back in one call each, with every change audited. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RouteGovernanceTest {

    @Inject
    Ledger ledger;

    private static List<Integer> weights() {
        return given().get("/admin/v1/routes").then().statusCode(200).extract()
                .path("data.find { it.model == 'canary' }.targets.weight");
    }

    private String upstreamOfOneRequest() {
        String id = "canary-" + UUID.randomUUID();
        given().header("x-request-id", id).contentType("application/json")
                .body("{\"model\":\"canary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        return ledger.store().findByRequestId(id).getFirst().upstreamModel();
    }

    @Test
    void promoteAndRollBackInOneCallEach() {
        assertThat(weights()).containsExactly(90, 10);

        given().contentType("application/json").body("{\"version\":\"v2\"}").post("/admin/v1/routes/canary/promote")
                .then().statusCode(200);
        assertThat(weights()).containsExactly(0, 100);
        for (int i = 0; i < 20; i++) {
            assertThat(upstreamOfOneRequest()).isEqualTo("candidate-model");
        }

        given().post("/admin/v1/routes/canary/rollback").then().statusCode(200);
        assertThat(weights()).containsExactly(90, 10);

        given().contentType("application/json").body("{\"version\":\"v1\"}").post("/admin/v1/routes/canary/rollback")
                .then().statusCode(200);
        assertThat(weights()).as("rolled back to one named version").containsExactly(100, 0);
        given().post("/admin/v1/routes/canary/rollback").then().statusCode(200);

        given().contentType("application/json").body("{\"weights\":{\"v1\":100,\"v2\":0}}").put("/admin/v1/routes/canary/weights")
                .then().statusCode(200);
        for (int i = 0; i < 20; i++) {
            assertThat(upstreamOfOneRequest()).isEqualTo("stable-model");
        }
        given().post("/admin/v1/routes/canary/rollback").then().statusCode(200);

        String trail = given().get("/admin/v1/audit/records").then().statusCode(200).extract().asString();
        assertThat(trail).contains("\"action\":\"route.promote\"").contains("\"action\":\"route.rollback\"")
                .contains("\"action\":\"route.weights\"");
    }

    @Test
    void badChangesAreRefusedAndNamed() {
        given().contentType("application/json").body("{\"version\":\"v9\"}").post("/admin/v1/routes/canary/promote")
                .then().statusCode(400).body("error.message", containsString("no target with version 'v9'"))
                .body("error.param", equalTo("weights.v9"));
        given().contentType("application/json").body("{\"weights\":{\"v1\":0,\"v2\":0}}").put("/admin/v1/routes/canary/weights")
                .then().statusCode(400).body("error.param", equalTo("weights"));
        given().contentType("application/json").body("{\"version\":\"v2\"}").post("/admin/v1/routes/nonexistent/promote")
                .then().statusCode(404);
        given().contentType("application/json").body("{\"version\":\"v0\"}").post("/admin/v1/routes/canary/rollback")
                .then().statusCode(400).body("error.message", containsString("no target with version 'v0'"));
        given().contentType("application/json").body("{\"to\":\"v1\"}").post("/admin/v1/routes/canary/rollback")
                .then().statusCode(400).body("error.param", equalTo("version"));
        String user = given().contentType("application/json").body("{\"name\":\"curious\",\"team\":\"sales\"}")
                .post("/admin/v1/keys").then().statusCode(201).extract().path("key");
        given().header("Authorization", "Bearer " + user).contentType("application/json").body("{\"version\":\"v2\"}")
                .post("/admin/v1/routes/canary/promote").then().statusCode(403);
        assertThat(weights()).containsExactly(90, 10);
    }
}
