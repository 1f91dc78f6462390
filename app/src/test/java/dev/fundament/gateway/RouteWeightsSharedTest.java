package dev.fundament.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ModelSpec;
import dev.fundament.config.TargetSpec;
import dev.fundament.error.GatewayException;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import dev.fundament.routing.RouteTable;
import dev.fundament.routing.RoutingStore;
import dev.fundament.routing.ShadowResult;
import dev.fundament.routing.Target;
import dev.fundament.testing.Databases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route weights set on one instance reach another through the shared store, survive a restart, and a
 * rollback restores fundament.yaml's weights everywhere; shadow results round-trip. On the embedded H2
 * database and on PostgreSQL alike.
 */
class RouteWeightsSharedTest {

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) Databases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) Databases::postgres));
    }

    private static RouteTable table() {
        Provider p = dev.fundament.testing.StubProviders.named("gpu");
        ModelSpec canary = new ModelSpec(null, null, List.of(new TargetSpec("gpu", "llama-3", 90, "v1"),
                new TargetSpec("gpu", "llama-4", 10, "v2")), null, null);
        return new RouteTable(Map.of("assistant", canary), Map.of("gpu", p), Map.of("gpu", false));
    }

    private static List<Integer> weights(RouteTable t) {
        return t.configured().get("assistant").targets().stream().map(Target::weight).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aChangeOnOneInstanceReachesTheOthers(String name, Supplier<DataSource> db) {
        RoutingStore store = new RoutingStore(db.get());
        RouteTable a = table();
        RouteTable b = table();
        RouteGovernance onA = new RouteGovernance(a, store, Clock.systemUTC());
        RouteGovernance onB = new RouteGovernance(b, store, Clock.systemUTC());

        onA.weigh("admin", "assistant", Map.of("v2", 100));
        assertThat(weights(a)).containsExactly(0, 100);
        assertThat(weights(b)).as("before B's next reload").containsExactly(90, 10);
        onB.reload();
        assertThat(weights(b)).containsExactly(0, 100);
        assertThat(onB.stored("assistant").updatedBy()).isEqualTo("admin");

        RouteTable restarted = table();
        new RouteGovernance(restarted, store, Clock.systemUTC()).reload();
        assertThat(weights(restarted)).as("a restart keeps the promotion").containsExactly(0, 100);

        onB.rollback("assistant");
        onA.reload();
        assertThat(weights(a)).containsExactly(90, 10);
        assertThat(weights(b)).containsExactly(90, 10);
        assertThat(onA.stored("assistant")).isNull();

        assertThatThrownBy(() -> onA.weigh("admin", "assistant", Map.of("v9", 100))).isInstanceOf(GatewayException.class);
        assertThat(weights(a)).as("a rejected change changes nothing").containsExactly(90, 10);
        onB.reload();
        assertThat(weights(b)).containsExactly(90, 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void shadowResultsRoundTrip(String name, Supplier<DataSource> db) {
        RoutingStore store = new RoutingStore(db.get());
        Instant t0 = Instant.parse("2026-11-26T08:00:00Z");
        store.insert(ShadowResult.of("r1", "assistant", t0,
                new ShadowResult.Outcome("gpu/llama-3", "v1", "ok", 120, 7, "Paris is the capital of France"),
                new ShadowResult.Outcome("gpu/llama-4", "v2", "ok", 90, 6, "The capital is Paris")));
        store.insert(ShadowResult.of("r2", "assistant", t0.plusSeconds(1),
                new ShadowResult.Outcome("gpu/llama-3", "v1", "ok", 100, 3, "Yes"),
                new ShadowResult.Outcome("gpu/llama-4", "v2", "upstream_error", 30, 0, null)));
        List<ShadowResult> newest = store.shadowResults("assistant", 10);
        assertThat(newest).extracting(ShadowResult::requestId).containsExactly("r2", "r1");
        assertThat(newest.get(0).similarity()).isNull();
        assertThat(newest.get(1).similarity()).isEqualTo(4.0 / 6);
        assertThat(newest.get(1).shadow().answer()).isEqualTo("The capital is Paris");
        RoutingStore.ShadowSummary sum = store.shadowSummary("assistant");
        assertThat(sum.requests()).isEqualTo(2);
        assertThat(sum.shadowErrors()).isEqualTo(1);
        assertThat(sum.primaryErrors()).isZero();
        assertThat(sum.primaryLatencyMs()).isEqualTo(110.0);
        assertThat(sum.similarity()).isEqualTo(4.0 / 6);
    }
}
