package dev.fundament.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Attempt order, breakers and fallback of a route's targets, against upstreams that answer as told. */
class TargetLoopTest {

    static Provider provider(String name) {
        return new Provider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<ChatProvider> chat() {
                return Optional.empty();
            }

            @Override
            public Optional<EmbeddingProvider> embeddings() {
                return Optional.empty();
            }
        };
    }

    static Target target(String name, int weight) {
        return new Target(provider(name), "m", "v1", weight, new CircuitBreaker(), new AtomicInteger(), Admission.unlimited(name));
    }

    private static String call(Route route, Map<String, AtomicInteger> calls, String failing, ErrorKind how) {
        return TargetLoop.call(route, t -> { }, (t, i) -> {
            calls.computeIfAbsent(t.provider().name(), k -> new AtomicInteger()).incrementAndGet();
            return t.provider().name().equals(failing)
                    ? Uni.createFrom().failure(new GatewayException(how, "upstream says no"))
                    : Uni.createFrom().item(t.provider().name());
        }).await().atMost(Duration.ofSeconds(2));
    }

    @Test
    void aFailingTargetIsSkippedOnceItsBreakerOpens() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("primary", 0), target("backup", 0)), true);
        Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 50; i++) {
            assertThat(call(route, calls, "primary", ErrorKind.UPSTREAM_ERROR)).isEqualTo("backup");
        }
        assertThat(calls.get("primary").get()).as("tried until its breaker opened, then left alone").isEqualTo(10);
        assertThat(calls.get("backup").get()).isEqualTo(50);
        assertThat(route.targets().getFirst().breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(route.targets()).allSatisfy(t -> assertThat(t.inFlight().get()).isZero());
    }

    @Test
    void whenEveryBreakerIsOpenTheRequestFailsAtOnceWithRetryAfter() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("only", 0)), true);
        Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> call(route, calls, "only", ErrorKind.UPSTREAM_UNAVAILABLE));
        }
        assertThatThrownBy(() -> call(route, calls, "only", ErrorKind.UPSTREAM_UNAVAILABLE))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
                    assertThat(e.headers()).containsKey("Retry-After");
                    assertThat(e.getMessage()).contains("circuit breakers open");
                });
        assertThat(calls.get("only").get()).isEqualTo(10);
    }

    @Test
    void callerMistakesNeitherFallBackNorCountAgainstTheTarget() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("primary", 0), target("backup", 0)), true);
        Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> call(route, calls, "primary", ErrorKind.UPSTREAM_BAD_REQUEST))
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_BAD_REQUEST));
        }
        assertThat(calls).doesNotContainKey("backup");
        assertThat(route.targets().getFirst().breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void weightsSplitFirstAttemptsLikeACanary() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("stable", 90), target("canary", 10)), true);
        int canary = 0;
        for (int i = 0; i < 20_000; i++) {
            if (TargetLoop.order(route).getFirst().provider().name().equals("canary")) {
                canary++;
            }
        }
        assertThat(canary / 20_000.0).isBetween(0.08, 0.12);
        assertThat(TargetLoop.order(route)).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void theLastTargetIsRetriedAsItsRetryAfterAsks() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("busy", 0)), true);
        AtomicInteger calls = new AtomicInteger();
        String answer = TargetLoop.call(route, t -> { }, (t, i) -> calls.incrementAndGet() < 3
                ? Uni.createFrom().failure(new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "slow down", null,
                        Map.of("Retry-After", "0.05")))
                : Uni.createFrom().item("ok")).await().atMost(Duration.ofSeconds(5));
        assertThat(answer).isEqualTo("ok");
        assertThat(calls.get()).isEqualTo(3);

        AtomicInteger patient = new AtomicInteger();
        assertThatThrownBy(() -> TargetLoop.call(route, t -> { }, (t, i) -> {
            patient.incrementAndGet();
            return Uni.createFrom().failure(new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "come back in a minute", null,
                    Map.of("Retry-After", "60")));
        }).await().atMost(Duration.ofSeconds(5))).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.headers()).containsEntry("Retry-After", "60"));
        assertThat(patient.get()).as("no waiting a minute inside one request").isEqualTo(1);
    }

    @Test
    void backoffGrowsWithJitterAndStopsAfterTwoRetries() {
        GatewayException failure = new GatewayException(ErrorKind.UPSTREAM_ERROR, "boom");
        for (int i = 0; i < 100; i++) {
            assertThat(TargetLoop.retryAfter(failure, 0).toMillis()).isBetween(50L, 150L);
            assertThat(TargetLoop.retryAfter(failure, 1).toMillis()).isBetween(100L, 300L);
        }
        assertThat(TargetLoop.retryAfter(failure, 2)).isNull();
        assertThat(TargetLoop.retryAfter(new GatewayException(ErrorKind.UPSTREAM_BAD_REQUEST, "no"), 0)).isNull();
        assertThat(TargetLoop.retryAfter(new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "late"), 0)).isNull();
    }
}
