package dev.fundament.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.KeyRequest;
import dev.fundament.testing.HostileJson;

/**
 * Coverage-guided fuzzing of the admin API's JSON readers: a key or limit request is either read
 * into values the stores can keep, or refused with a 4xx naming the field.
 */
class AdminJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void keyRequestsAreReadOrRefusedWithA4xx(FuzzedDataProvider data) {
        ObjectNode valid = JsonNodeFactory.instance.objectNode().put("name", "crm-bot").put("team", "sales")
                .put("subject", "crm").put("service", true).put("expires_at", "2099-01-01T00:00:00Z");
        valid.putArray("roles").add("user");
        valid.putArray("allowed_models").add("gpt-sim");
        valid.putObject("metadata").put("app", "crm").put("priority", "batch");
        try {
            KeyRequest request = KeyJson.request(HostileJson.mutate(valid, HostileJson.Source.of(data), 3));
            assertThat(request.name()).isNotNull();
            assertThat(request.allowedModels()).doesNotContainNull();
            assertThat(request.metadata()).doesNotContainKey(null);
        } catch (GatewayException e) {
            assertThat(e.kind().status()).as(e.getMessage()).isBetween(400, 499);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void limitRequestsAreReadOrRefusedWithA4xx(FuzzedDataProvider data) {
        ObjectNode valid = JsonNodeFactory.instance.objectNode().put("requests_per_minute", 60).put("tokens_per_minute", 100_000);
        try {
            var rate = LimitJson.request(HostileJson.mutate(valid, HostileJson.Source.of(data), 3));
            assertThat(rate.requestsPerMinute() == null || rate.requestsPerMinute() >= 0).isTrue();
        } catch (GatewayException e) {
            assertThat(e.kind().status()).as(e.getMessage()).isBetween(400, 499);
        }
    }
}
