package dev.fundament.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Attempt order, breakers and fallback of a route's targets, against upstreams that answer as told. */
class TargetLoopTest {

    static Provider provider(String name) {
        return dev.fundament.testing.StubProviders.named(name);
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
                    assertThat(e.kind()).as("nothing was sent: 503, not 502").isEqualTo(ErrorKind.UPSTREAM_RESTING);
                    assertThat(e.kind().status()).isEqualTo(503);
                    assertThat(e.headers()).containsEntry("Retry-After", "15");
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

    @Test
    void leastLatencySendsToTheReplicaWithTheShortestExpectedWait() {
        Target fast = target("fast", 0);
        Target slow = target("slow", 0);
        Target fresh = target("fresh", 0);
        Route route = new Route("replicas", ModelKind.CHAT, List.of(slow, fast), true,
                dev.fundament.config.RouteStrategy.LEAST_LATENCY, Condition.ALWAYS, null);
        for (int i = 0; i < 5; i++) {
            fast.latency().record(20_000_000);
            slow.latency().record(200_000_000);
        }
        assertThat(TargetLoop.order(route)).containsExactly(fast, slow);

        fast.inFlight().set(12); // 13 x 20 ms > 1 x 200 ms: the fast replica is now the longer wait
        assertThat(TargetLoop.order(route)).containsExactly(slow, fast);

        Route withNew = new Route("replicas", ModelKind.CHAT, List.of(slow, fast, fresh), true,
                dev.fundament.config.RouteStrategy.LEAST_LATENCY, Condition.ALWAYS, null);
        assertThat(TargetLoop.order(withNew).getFirst()).as("a replica not yet measured is tried first").isEqualTo(fresh);
    }

    @Test
    void leastLatencySpreadsLoadOverEqualReplicasAndLearnsFromCalls() {
        Target a = target("a", 0);
        Target b = target("b", 0);
        Route route = new Route("replicas", ModelKind.CHAT, List.of(a, b), true,
                dev.fundament.config.RouteStrategy.LEAST_LATENCY, Condition.ALWAYS, null);
        Map<String, AtomicInteger> firsts = new java.util.HashMap<>();
        for (int i = 0; i < 400; i++) {
            firsts.computeIfAbsent(TargetLoop.order(route).getFirst().provider().name(), k -> new AtomicInteger()).incrementAndGet();
        }
        assertThat(firsts.get("a").get()).as("unmeasured replicas share by chance").isBetween(140, 260);

        TargetLoop.call(route, t -> { }, (t, i) -> Uni.createFrom().item(t.provider().name())
                .onItem().delayIt().by(Duration.ofMillis(t == a ? 1 : 60))).await().atMost(Duration.ofSeconds(2));
        TargetLoop.call(route, t -> { }, (t, i) -> Uni.createFrom().item(t.provider().name())
                .onItem().delayIt().by(Duration.ofMillis(t == a ? 1 : 60))).await().atMost(Duration.ofSeconds(2));
        assertThat(a.latency().millis()).isLessThan(b.latency().millis());
        assertThat(TargetLoop.order(route).getFirst()).isEqualTo(a);
    }

    @Test
    void aProviderFailingItsHealthCheckIsSkipped() {
        Target primary = target("primary", 0);
        Target backup = target("backup", 0);
        Route route = new Route("chat", ModelKind.CHAT, List.of(primary, backup), true);
        Map<String, AtomicInteger> calls = new java.util.HashMap<>();
        assertThat(primary.health().failed("connection refused")).as("one failed check is not an outage").isFalse();
        assertThat(call(route, calls, null, null)).isEqualTo("primary");
        assertThat(primary.health().failed("connection refused")).as("the second in a row is").isTrue();
        assertThat(call(route, calls, null, null)).isEqualTo("backup");
        primary.health().passed();
        assertThat(call(route, calls, null, null)).isEqualTo("primary");
    }

    @Test
    void conditionsNarrowTheTargetsPerRequest() {
        Target sales = new Target(provider("sales-gpu"), "m", null, new AtomicInteger(), new CircuitBreaker(), new AtomicInteger(),
                Admission.unlimited("sales-gpu"), Condition.of(new dev.fundament.config.ConditionSpec(List.of("sales"), null, null,
                null, null, null, null)), new Latency(), new Health());
        Target shared = target("shared", 0);
        Route route = new Route("chat", ModelKind.CHAT, List.of(sales, shared), true);
        var salesUser = new dev.fundament.identity.Principal("ann", false, "sales", java.util.Set.of(), java.util.Set.of(), "k", "p", Map.of());
        var hrUser = new dev.fundament.identity.Principal("bob", false, "hr", java.util.Set.of(), java.util.Set.of(), "k", "p", Map.of());
        assertThat(route.select(Caller.of(salesUser))).isSameAs(route);
        assertThat(route.select(Caller.of(hrUser)).targets()).containsExactly(shared);
        Route salesOnly = new Route("chat", ModelKind.CHAT, List.of(sales), true);
        assertThatThrownBy(() -> salesOnly.select(Caller.of(hrUser))).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    }

    @Test
    void noAttemptStartsAfterTheRequestsDeadline() {
        Target slow = target("slow", 0);
        Target backup = target("backup", 0);
        Route route = new Route("chat", ModelKind.CHAT, List.of(slow, backup), true, dev.fundament.config.RouteStrategy.ORDERED,
                Condition.ALWAYS, null, Duration.ofMillis(100));
        Map<String, AtomicInteger> calls = new java.util.HashMap<>();
        assertThatThrownBy(() -> TargetLoop.call(route, t -> { }, (t, i) -> {
            calls.computeIfAbsent(t.provider().name(), k -> new AtomicInteger()).incrementAndGet();
            return Uni.createFrom().<String>failure(new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "no first token"))
                    .onFailure().call(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(150)));
        }).await().atMost(Duration.ofSeconds(2))).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
            assertThat(e.getMessage()).contains("within its timeout of 100 ms").contains("after 1 attempt");
        });
        assertThat(calls).containsOnlyKeys("slow");

        Route oneTarget = new Route("chat", ModelKind.CHAT, List.of(target("busy", 0)), true,
                dev.fundament.config.RouteStrategy.ORDERED, Condition.ALWAYS, null, Duration.ofMillis(500));
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> TargetLoop.call(oneTarget, t -> { }, (t, i) -> {
            tries.incrementAndGet();
            return Uni.createFrom().<String>failure(new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "slow down", null,
                    Map.of("Retry-After", "1")));
        }).await().atMost(Duration.ofSeconds(3))).isInstanceOf(GatewayException.class);
        assertThat(tries).as("a retry that would wait past the deadline is not made").hasValue(1);
    }

    /**
     * Regression: a stream retried after a 429 (or a 500, or a refused connection) came back as an
     * empty success. The retry's pause was a {@code Uni<Void>} made into a {@code Multi}, and a null
     * item makes an empty {@code Multi} in Mutiny: the retry never ran and the stream completed with
     * nothing, which the caller saw as HTTP 200 with only {@code data: [DONE]}.
     */
    @Test
    void aStreamIsRetriedAfterA429LikeAWholeAnswer() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("busy", 0)), true);
        AtomicInteger calls = new AtomicInteger();
        List<String> items = TargetLoop.stream(route, t -> { }, (t, i) -> calls.incrementAndGet() < 3
                        ? Multi.createFrom().<String>failure(new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "slow down", null,
                                Map.of("Retry-After", "0.05")))
                        : Multi.createFrom().items("a", "b"))
                .collect().asList().await().atMost(Duration.ofSeconds(5));
        assertThat(items).containsExactly("a", "b");
        assertThat(calls.get()).as("two retries, then the answer").isEqualTo(3);

        AtomicInteger failing = new AtomicInteger();
        assertThatThrownBy(() -> TargetLoop.stream(route, t -> { }, (t, i) -> {
            failing.incrementAndGet();
            return Multi.createFrom().<String>failure(new GatewayException(ErrorKind.UPSTREAM_ERROR, "HTTP 500"));
        }).collect().asList().await().atMost(Duration.ofSeconds(5))).as("retries spent: the failure, not an empty success")
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR));
        assertThat(failing.get()).isEqualTo(1 + TargetLoop.MAX_RETRIES);
    }

    @Test
    void aStreamThatEndsWithoutAnyItemIsAFailureAndFallsBack() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("silent", 0), target("backup", 0)), true);
        List<String> items = TargetLoop.stream(route, t -> { }, (t, i) -> t.provider().name().equals("silent")
                        ? Multi.createFrom().<String>empty() : Multi.createFrom().item("answer"))
                .collect().asList().await().atMost(Duration.ofSeconds(2));
        assertThat(items).containsExactly("answer");

        Route alone = new Route("chat", ModelKind.CHAT, List.of(target("silent", 0)), true);
        assertThatThrownBy(() -> TargetLoop.stream(alone, t -> { }, (t, i) -> Multi.createFrom().<String>empty())
                .collect().asList().await().atMost(Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_INVALID_RESPONSE);
                    assertThat(e.getMessage()).contains("ended its stream without sending anything");
                });
    }

    @Test
    void aStreamDoesNotFallBackOnceItHasStarted() {
        Route route = new Route("chat", ModelKind.CHAT, List.of(target("primary", 0), target("backup", 0)), true);
        Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> TargetLoop.stream(route, t -> { }, (t, i) -> {
            calls.computeIfAbsent(t.provider().name(), k -> new AtomicInteger()).incrementAndGet();
            return Multi.createFrom().<String>item("half").onCompletion().failWith(
                    new GatewayException(ErrorKind.STREAM_INTERRUPTED, "cut"));
        }).onItem().invoke(seen::add).collect().asList().await().atMost(Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED));
        assertThat(seen).containsExactly("half");
        assertThat(calls).containsOnlyKeys("primary");
    }

    /**
     * Regression: with 20-50 % 429s from its only upstream, a route's breaker opened and every caller
     * got 502 for 15 s. A 429 is a busy upstream, not a broken one: the retries absorb the share, the
     * breaker stays closed, and only an upstream that turns every call away is rested, for as long as
     * it asked, with a 429 and Retry-After to the caller.
     */
    @Test
    void aBusyUpstreamIsRetriedNotCutOffAndOnlyAlways429RestsIt() {
        Target only = target("busy", 0);
        Route route = new Route("chat", ModelKind.CHAT, List.of(only), true);
        AtomicInteger calls = new AtomicInteger();
        int answered = 0;
        for (int i = 0; i < 40; i++) {
            try {
                TargetLoop.call(route, t -> { }, (t, n) -> calls.incrementAndGet() % 2 == 0
                        ? Uni.createFrom().<String>failure(new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "busy", null,
                                Map.of("Retry-After", "0")))
                        : Uni.createFrom().item("ok")).await().atMost(Duration.ofSeconds(2));
                answered++;
            } catch (GatewayException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_RATE_LIMITED);
            }
        }
        assertThat(answered).as("every request answered, half of them after a retry").isEqualTo(40);
        assertThat(only.breaker().state()).as("50 %% 429s").isEqualTo(CircuitBreaker.State.CLOSED);

        for (int i = 0; i < 7; i++) { // three calls each (two retries): the whole window of 20 turned away
            assertThatThrownBy(() -> TargetLoop.call(route, t -> { }, (t, n) -> Uni.createFrom().<String>failure(
                    new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "quota gone", null, Map.of("Retry-After", "0"))))
                    .await().atMost(Duration.ofSeconds(2))).isInstanceOf(GatewayException.class);
        }
        assertThat(only.breaker().state()).as("every call of the window turned away").isEqualTo(CircuitBreaker.State.OPEN);
        AtomicInteger afterwards = new AtomicInteger();
        assertThatThrownBy(() -> TargetLoop.call(route, t -> { }, (t, n) -> {
            afterwards.incrementAndGet();
            return Uni.createFrom().item("ok");
        }).await().atMost(Duration.ofSeconds(2))).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).as("the caller is told to come back: 429, not 502").isEqualTo(ErrorKind.UPSTREAM_RATE_LIMITED);
            assertThat(e.headers()).containsEntry("Retry-After", "1");
        });
        assertThat(afterwards).as("the resting upstream is not called").hasValue(0);
    }
    private long now = 1_000;

    /** A target whose breaker has rested after ten failures: the next call to it is the probe. */
    private Target halfOpen(String name, Admission admission) {
        CircuitBreaker breaker = new CircuitBreaker(() -> now);
        for (int i = 0; i < CircuitBreaker.MIN_CALLS; i++) {
            breaker.failure();
        }
        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        return new Target(provider(name), "m", "v1", 0, breaker, new AtomicInteger(), admission);
    }

    private static String answer(Route route) {
        return TargetLoop.call(route, t -> { }, (t, i) -> Uni.createFrom().item("ok")).await().atMost(Duration.ofSeconds(2));
    }

    /**
     * Regression: a breaker's probe that ended with no outcome was never handed back, and the
     * breaker stayed half-open for good: every call to a single-target route got 503 until a restart.
     * Here the probe's caller goes away before the first chunk (streamed) or before the answer.
     */
    @Test
    void aProbeWhoseCallerCancelsHandsItsPassBack() {
        Target only = halfOpen("only", Admission.unlimited("only"));
        Route route = new Route("chat", ModelKind.CHAT, List.of(only), true);
        AssertSubscriber<String> streamed = TargetLoop.stream(route, t -> { }, (t, i) -> Multi.createFrom().<String>nothing())
                .subscribe().withSubscriber(AssertSubscriber.create(1));
        assertThat(only.inFlight()).as("the probe is out").hasValue(1);
        streamed.cancel();
        assertThat(only.inFlight()).hasValue(0);

        UniAssertSubscriber<String> whole = TargetLoop.call(route, t -> { }, (t, i) -> Uni.createFrom().<String>nothing())
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(only.inFlight()).as("the next call was let through as the probe").hasValue(1);
        whole.cancel();

        assertThat(answer(route)).as("the breaker still lets a probe through").isEqualTo("ok");
        assertThat(only.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** Regression: our own admission queue shedding the probe (503 overloaded) said nothing to the breaker, which then wedged. */
    @Test
    void aProbeShedByTheProvidersAdmissionHandsItsPassBack() {
        Admission oneAtATime = new Admission("tiny", 1, 0, 100);
        Target only = halfOpen("tiny", oneAtATime);
        Route route = new Route("chat", ModelKind.CHAT, List.of(only), true);
        Admission.Permit busy = oneAtATime.acquire(Admission.Ticket.ANONYMOUS).await().atMost(Duration.ofSeconds(1));
        assertThatThrownBy(() -> answer(route)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.getMessage()).contains("is at capacity"));
        busy.release();
        assertThat(answer(route)).isEqualTo("ok");
        assertThat(only.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** Regression: an upstream 400 (no fallback) reported nothing; the upstream answered, so the probe succeeded. */
    @Test
    void aProbeTheUpstreamAnsweredWithABadRequestClosesTheBreaker() {
        Target only = halfOpen("only", Admission.unlimited("only"));
        Route route = new Route("chat", ModelKind.CHAT, List.of(only), true);
        assertThatThrownBy(() -> TargetLoop.stream(route, t -> { }, (t, i) -> Multi.createFrom().<String>failure(
                new GatewayException(ErrorKind.UPSTREAM_BAD_REQUEST, "Invalid 'temperature'"))).collect().asList()
                .await().atMost(Duration.ofSeconds(2))).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_BAD_REQUEST));
        assertThat(only.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(answer(route)).isEqualTo("ok");
    }

    /**
     * Regression: when the request's time ran out after the loop had picked the next target, that
     * target's probe was taken and never used, and its breaker wedged half-open.
     */
    @Test
    void aProbeTakenJustAsTheDeadlinePassesIsHandedBack() {
        Target first = target("first", 0);
        Target backup = halfOpen("backup", Admission.unlimited("backup"));
        Route route = new Route("chat", ModelKind.CHAT, List.of(first, backup), true, dev.fundament.config.RouteStrategy.ORDERED,
                Condition.ALWAYS, null, Duration.ofNanos(1));
        for (boolean stream : new boolean[] {false, true}) {
            assertThatThrownBy(() -> {
                if (stream) {
                    TargetLoop.stream(route, t -> { }, (t, i) -> Multi.createFrom().<String>failure(
                            new GatewayException(ErrorKind.UPSTREAM_ERROR, "HTTP 500"))).collect().asList().await().atMost(Duration.ofSeconds(2));
                } else {
                    TargetLoop.call(route, t -> { }, (t, i) -> Uni.createFrom().<String>failure(
                            new GatewayException(ErrorKind.UPSTREAM_ERROR, "HTTP 500"))).await().atMost(Duration.ofSeconds(2));
                }
            }).isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT));
            assertThat(backup.inFlight()).as("never called").hasValue(0);
        }
        assertThat(answer(new Route("chat", ModelKind.CHAT, List.of(backup), true))).isEqualTo("ok");
        assertThat(backup.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
