package dev.fundament.routing;

import dev.fundament.error.AllTargetsFailed;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Tries a route's targets in turn. The order follows the route's strategy: on a weighted route the
 * first attempt goes to a target drawn by weight, the rest follow in configured order; with least
 * latency, by expected wait (calls in flight times recent latency); otherwise configured order.
 * Targets whose circuit breaker is open or whose provider fails its health check are skipped; with
 * none left the request fails at once with {@code Retry-After} instead of waiting on dead upstreams:
 * a 503 {@code upstream_unavailable}, or a 429 when every target rests because its upstream turned
 * all recent calls away with 429 (see {@link CircuitBreaker}: a 429 marks an upstream busy, not
 * broken). The next target is tried only when the failure's {@link ErrorKind#fallback()} allows it
 * (never for a caller's mistake); when none is left, one aggregate error lists every attempt. The
 * last target left is retried, at most {@value #MAX_RETRIES} times, after a passing failure (429,
 * 502, 503), waiting as its {@code Retry-After} asks or with jittered exponential backoff, never more
 * than {@value #MAX_WAIT_MILLIS} ms. All attempts and waits share one deadline, the route's timeout: no
 * attempt or retry starts after it (an attempt under way is bounded by its provider's connect,
 * first-token, idle and total timeouts). Each outcome feeds the target's breaker and latency, and
 * calls in flight are counted per target. An attempt that ends with no outcome for the breaker (the
 * caller cancelled, the provider's admission queue shed it, the deadline passed before it was sent,
 * an error of ours) hands its breaker pass back, so a half-open breaker's probe is never lost.
 *
 * <p>Streams get the same retries and fallbacks as whole answers, but only before their first item:
 * after that the caller has seen part of one answer, and switching to another model would splice two
 * answers. A target whose stream ends without a single item has failed ({@code upstream_invalid_response},
 * so the next target may be tried): the loop never completes a stream empty, so an empty success
 * cannot reach the caller as {@code [DONE]}.
 *
 * <p>Written as a chain of attempts rather than a {@code for} loop because each attempt is
 * asynchronous; the chain is as long as the target list.
 */
public final class TargetLoop {

    private TargetLoop() {
    }

    /**
     * @param onAttempt told of each target before it is tried (the request context records it)
     * @param call      the call against one target
     */
    public static <T> Uni<T> call(Route route, Consumer<Target> onAttempt, BiFunction<Target, Integer, Uni<T>> call) {
        return call(route, Admission.Ticket.ANONYMOUS, onAttempt, call);
    }

    /** @param ticket who is calling, for the providers' admission control (fair share, priority) */
    public static <T> Uni<T> call(Route route, Admission.Ticket ticket, Consumer<Target> onAttempt,
                                  BiFunction<Target, Integer, Uni<T>> call) {
        List<Target> order = order(route);
        BiFunction<Target, Integer, Uni<T>> admitted = (target, i) -> target.admission().acquire(ticket)
                .onItem().transformToUni(permit -> call.apply(target, i).onTermination().invoke(permit::release));
        return Uni.createFrom().deferred(() -> attempt(route, order, onAttempt, admitted, 0, new ArrayList<>(), 0, deadline(route)));
    }

    public static <T> Multi<T> stream(Route route, Consumer<Target> onAttempt, BiFunction<Target, Integer, Multi<T>> call) {
        return stream(route, Admission.Ticket.ANONYMOUS, onAttempt, call);
    }

    public static <T> Multi<T> stream(Route route, Admission.Ticket ticket, Consumer<Target> onAttempt,
                                      BiFunction<Target, Integer, Multi<T>> call) {
        List<Target> order = order(route);
        BiFunction<Target, Integer, Multi<T>> admitted = (target, i) -> Multi.createFrom().uni(target.admission().acquire(ticket))
                .onItem().transformToMultiAndConcatenate(permit -> call.apply(target, i).onTermination().invoke(permit::release));
        return Multi.createFrom().deferred(() -> attemptStream(route, order, onAttempt, admitted, 0, new ArrayList<>(), 0,
                deadline(route)));
    }

    /** The attempt order: the strategy's first choice, then the rest (by expected wait for least latency). */
    static List<Target> order(Route route) {
        List<Target> targets = route.targets();
        if (targets.size() == 1) {
            return targets;
        }
        return switch (route.strategy()) {
            case ORDERED -> targets;
            case WEIGHTED -> weighted(targets);
            case LEAST_LATENCY -> leastLatency(targets);
        };
    }

    /**
     * By expected wait: calls in flight plus this one, times the recent latency. A target not yet
     * measured comes first (it must be measured to be judged); equal scores are shuffled, so replicas
     * share the load evenly while they perform alike.
     */
    static List<Target> leastLatency(List<Target> targets) {
        int n = targets.size();
        double[] score = new double[n];
        Integer[] index = new Integer[n];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double[] tie = new double[n];
        for (int i = 0; i < n; i++) {
            Target t = targets.get(i);
            double latency = t.latency().millis();
            score[i] = Double.isNaN(latency) ? 0 : (t.inFlight().get() + 1) * Math.max(latency, 0.001);
            tie[i] = random.nextDouble();
            index[i] = i;
        }
        java.util.Arrays.sort(index, (a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b]) : Double.compare(tie[a], tie[b]));
        List<Target> order = new ArrayList<>(n);
        for (Integer i : index) {
            order.add(targets.get(i));
        }
        return order;
    }

    private static List<Target> weighted(List<Target> targets) {
        int total = 0;
        for (Target t : targets) {
            total += t.weight();
        }
        if (total == 0) {
            return targets;
        }
        int draw = ThreadLocalRandom.current().nextInt(total);
        Target first = null;
        for (Target t : targets) {
            draw -= t.weight();
            if (draw < 0) {
                first = t;
                break;
            }
        }
        List<Target> order = new ArrayList<>(targets.size());
        order.add(first);
        for (Target t : targets) {
            if (t != first) {
                order.add(t);
            }
        }
        return order;
    }

    /** The target an attempt goes to, with the pass its breaker gave. */
    private record Next(int index, Target target, CircuitBreaker.Pass pass) {
    }

    /** @return the next target at or after {@code from} that is healthy and whose breaker lets a call through, or null */
    private static Next next(List<Target> order, int from) {
        for (int i = from; i < order.size(); i++) {
            Target t = order.get(i);
            if (t.health().up()) {
                CircuitBreaker.Pass pass = t.breaker().pass();
                if (pass != null) {
                    return new Next(i, t, pass);
                }
            }
        }
        return null;
    }

    private static <T> Uni<T> attempt(Route route, List<Target> order, Consumer<Target> onAttempt,
                                      BiFunction<Target, Integer, Uni<T>> call, int from, List<AllTargetsFailed.Attempt> failures,
                                      int retries, long deadline) {
        Next next = next(order, from);
        if (next == null) {
            return Uni.createFrom().failure(exhausted(route, failures));
        }
        int index = next.index();
        Target target = next.target();
        if (from > 0 || retries > 0) {
            GatewayException late = late(route, failures, deadline);
            if (late != null) {
                target.breaker().release(next.pass());
                return Uni.createFrom().failure(late);
            }
        }
        long[] started = new long[1];
        boolean[] judged = new boolean[1];
        return Uni.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    target.inFlight().incrementAndGet();
                    started[0] = System.nanoTime();
                    return call.apply(target, index);
                })
                .onItem().invoke(item -> {
                    target.latency().record(System.nanoTime() - started[0]);
                    target.breaker().success();
                    judged[0] = true;
                })
                .onFailure().invoke(f -> judged[0] = judge(target, asGateway(f)))
                .onTermination().invoke(() -> ended(target, next.pass(), judged[0]))
                .onFailure().recoverWithUni(f -> {
                    GatewayException failure = asGateway(f);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < order.size()) {
                        return attempt(route, order, onAttempt, call, index + 1, failures, 0, deadline);
                    }
                    Duration wait = retryAfter(failure, retries, deadline);
                    if (wait != null) {
                        return pause(wait).onItem().transformToUni(v ->
                                attempt(route, order, onAttempt, call, index, failures, retries + 1, deadline));
                    }
                    return Uni.createFrom().failure(exhausted(route, failures));
                });
    }

    private static <T> Multi<T> attemptStream(Route route, List<Target> order, Consumer<Target> onAttempt,
                                              BiFunction<Target, Integer, Multi<T>> call, int from,
                                              List<AllTargetsFailed.Attempt> failures, int retries, long deadline) {
        Next next = next(order, from);
        if (next == null) {
            return Multi.createFrom().failure(exhausted(route, failures));
        }
        int index = next.index();
        Target target = next.target();
        if (from > 0 || retries > 0) {
            GatewayException late = late(route, failures, deadline);
            if (late != null) {
                target.breaker().release(next.pass());
                return Multi.createFrom().failure(late);
            }
        }
        boolean[] started = new boolean[1];
        boolean[] judged = new boolean[1];
        long[] startNanos = new long[1];
        return Multi.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    target.inFlight().incrementAndGet();
                    startNanos[0] = System.nanoTime();
                    return call.apply(target, index);
                })
                .onCompletion().ifEmpty().failWith(() -> new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE,
                        "Target " + target.label() + " of model '" + route.name() + "' ended its stream without sending anything."))
                .onItem().invoke(item -> {
                    if (!started[0]) {
                        started[0] = true;
                        target.latency().record(System.nanoTime() - startNanos[0]);
                        target.breaker().success();
                        judged[0] = true;
                    }
                })
                .onFailure(f -> !started[0]).invoke(f -> judged[0] = judge(target, asGateway(f)))
                .onTermination().invoke(() -> ended(target, next.pass(), judged[0]))
                .onFailure(f -> !started[0]).recoverWithMulti(f -> {
                    GatewayException failure = asGateway(f);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < order.size()) {
                        return attemptStream(route, order, onAttempt, call, index + 1, failures, 0, deadline);
                    }
                    Duration wait = retryAfter(failure, retries, deadline);
                    if (wait != null) {
                        // Not Multi.createFrom().uni(pause): a Uni whose item is null becomes an EMPTY Multi in
                        // Mutiny, and every retried stream then "succeeded" with nothing but [DONE].
                        return pause(wait).onItem().transformToMulti(v ->
                                attemptStream(route, order, onAttempt, call, index, failures, retries + 1, deadline));
                    }
                    return Multi.createFrom().failure(exhausted(route, failures));
                });
    }

    /** Retries of the last target left, after a passing failure. */
    static final int MAX_RETRIES = 2;
    /** The longest wait before a retry; an upstream asking for longer gets its error passed on with its Retry-After. */
    static final long MAX_WAIT_MILLIS = 2_000;

    /**
     * When the last target left failed with an error that may pass (429, 502, 503), the wait before
     * trying it again: its {@code Retry-After} when it sent one, else 100 ms doubled each time, with
     * ±50 % jitter so that callers do not retry in step; {@code null} for no retry.
     */
    static Duration retryAfter(GatewayException failure, int retries, long deadline) {
        Duration wait = retryAfter(failure, retries);
        return wait == null || System.nanoTime() + wait.toNanos() >= deadline ? null : wait;
    }

    static Duration retryAfter(GatewayException failure, int retries) {
        ErrorKind k = failure.kind();
        boolean passing = k == ErrorKind.UPSTREAM_RATE_LIMITED || k == ErrorKind.UPSTREAM_UNAVAILABLE || k == ErrorKind.UPSTREAM_ERROR;
        if (!passing || retries >= MAX_RETRIES) {
            return null;
        }
        long millis;
        if (failure.headers().containsKey("Retry-After")) {
            Duration asked = askedWait(failure);
            if (asked == null) {
                return null; // an HTTP date: too far ahead to wait for inside one request
            }
            millis = asked.toMillis();
        } else {
            long base = 100L << retries;
            millis = base / 2 + ThreadLocalRandom.current().nextLong(base + 1);
        }
        return millis <= MAX_WAIT_MILLIS ? Duration.ofMillis(Math.max(0, millis)) : null;
    }

    /** @return the wait an upstream asked for in seconds in its {@code Retry-After}, or null */
    private static Duration askedWait(GatewayException failure) {
        String header = failure.headers().get("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(header.trim()) * 1000)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return when the request's time is up: its start plus the route's timeout */
    private static long deadline(Route route) {
        return System.nanoTime() + route.timeout().toNanos();
    }

    /** @return the error to end with when the request's time is up before the next attempt, else null */
    private static GatewayException late(Route route, List<AllTargetsFailed.Attempt> failures, long deadline) {
        if (System.nanoTime() < deadline) {
            return null;
        }
        return new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "Model '" + route.name() + "' gave no answer within its timeout of "
                + route.timeout().toMillis() + " ms (models." + route.name() + ".timeout) after " + failures.size()
                + " attempt(s): " + String.join("; ", failures.stream().map(a -> a.target() + ": " + a.failure().getMessage()).toList()));
    }

    /**
     * A wait that resumes on the request's event loop, where its upstream client lives. Its item is the
     * wait itself, never null: a null item would turn into an empty stream where a {@code Multi} is made of it.
     * A zero wait ({@code Retry-After: 0}) goes on at once: Mutiny refuses to delay by zero.
     */
    private static Uni<Duration> pause(Duration wait) {
        if (!wait.isPositive()) {
            return Uni.createFrom().item(wait);
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Duration> pause = Uni.createFrom().item(wait).onItem().delayIt().by(wait);
        return context == null ? pause : pause.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /**
     * Tells the target's breaker what a failed attempt says about its upstream. Upstream failures count
     * against the target. A 429 is the upstream being busy, not broken: the breaker hears it as such,
     * with the wait the upstream asked for. An upstream that rejected the request (a 4xx that is the
     * caller's mistake) answered, so it is up. Our own admission control turning the call away, or an
     * error of ours, says nothing about the upstream.
     *
     * @return whether the breaker heard an outcome; when not, the attempt's pass goes back
     */
    private static boolean judge(Target target, GatewayException failure) {
        ErrorKind kind = failure.kind();
        if (kind == ErrorKind.OVERLOADED) {
            return false; // never reached the upstream
        }
        if (kind == ErrorKind.UPSTREAM_RATE_LIMITED) {
            target.breaker().busy(askedWait(failure));
        } else if (kind == ErrorKind.UPSTREAM_BAD_REQUEST) {
            target.breaker().answered();
        } else if (kind.fallback() || kind == ErrorKind.STREAM_INTERRUPTED) {
            target.breaker().failure();
        } else {
            return false;
        }
        return true;
    }

    /** An attempt ended, however (answer, failure, cancellation): no longer in flight, and a pass without an outcome goes back. */
    private static void ended(Target target, CircuitBreaker.Pass pass, boolean judged) {
        target.inFlight().decrementAndGet();
        if (!judged) {
            target.breaker().release(pass);
        }
    }

    /**
     * The error when no target is left. After attempts, the last one's (with every attempt listed).
     * When every target was skipped, the caller is told when to come back: a 429 when all of them rest
     * because their upstreams turned every call away with 429, else a 503; {@code Retry-After} says
     * when the first of them takes calls again. Never a 502: nothing was sent, nothing broke.
     */
    private static GatewayException exhausted(Route route, List<AllTargetsFailed.Attempt> failures) {
        if (!failures.isEmpty()) {
            return AllTargetsFailed.of(route.name(), failures);
        }
        long wait = Long.MAX_VALUE;
        boolean allBusy = true;
        for (Target t : route.targets()) {
            long untilProbe = t.health().up() ? t.breaker().millisUntilProbe() : CircuitBreaker.OPEN_MILLIS;
            wait = Math.min(wait, untilProbe);
            allBusy &= t.health().up() && t.breaker().restsBusy();
        }
        String seconds = String.valueOf(Math.max(1, (wait + 999) / 1000));
        if (allBusy) {
            return new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "Every target of model '" + route.name()
                    + "' turned all recent calls away as rate limited (HTTP 429), so Fundament holds calls back for a moment."
                    + " Retry after " + seconds + " s.", null, Map.of("Retry-After", seconds));
        }
        return new GatewayException(ErrorKind.UPSTREAM_RESTING, "Every target of model '" + route.name()
                + "' is failing, so Fundament stopped sending to them for a moment (circuit breakers open or health"
                + " checks failing). Retry after " + seconds + " s.", null, Map.of("Retry-After", seconds));
    }

    private static GatewayException asGateway(Throwable f) {
        return f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error while calling the model ("
                + f.getClass().getSimpleName() + ").");
    }
}
