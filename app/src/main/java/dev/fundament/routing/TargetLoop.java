package dev.fundament.routing;

import dev.fundament.error.AllTargetsFailed;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Tries a route's targets in turn. The order: on a weighted route (targets with a weight) the first
 * attempt goes to a target drawn by weight, the rest follow in configured order; otherwise configured
 * order. Targets whose circuit breaker is open are skipped; with none left the request fails at once
 * (503-style {@code upstream_unavailable} with {@code Retry-After}) instead of waiting on dead
 * upstreams. The next target is tried only when the failure's {@link ErrorKind#fallback()} allows it
 * (never for a caller's mistake); when none is left, one aggregate error lists every attempt. A
 * stream falls back only before its first item: after that the caller has seen part of one answer,
 * and switching to another model would splice two answers. Each outcome feeds the target's breaker,
 * and calls in flight are counted per target.
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
        List<Target> order = order(route);
        return Uni.createFrom().deferred(() -> attempt(route, order, onAttempt, call, 0, new ArrayList<>()));
    }

    public static <T> Multi<T> stream(Route route, Consumer<Target> onAttempt, BiFunction<Target, Integer, Multi<T>> call) {
        List<Target> order = order(route);
        return Multi.createFrom().deferred(() -> attemptStream(route, order, onAttempt, call, 0, new ArrayList<>()));
    }

    /** The attempt order: weighted first choice when the route has weights, then configured order. */
    static List<Target> order(Route route) {
        List<Target> targets = route.targets();
        int total = 0;
        for (Target t : targets) {
            total += t.weight();
        }
        if (total == 0 || targets.size() == 1) {
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

    /** @return the index of the next target at or after {@code from} whose breaker lets a call through, or -1 */
    private static int next(List<Target> order, int from) {
        for (int i = from; i < order.size(); i++) {
            if (order.get(i).breaker().allows()) {
                return i;
            }
        }
        return -1;
    }

    private static <T> Uni<T> attempt(Route route, List<Target> order, Consumer<Target> onAttempt,
                                      BiFunction<Target, Integer, Uni<T>> call, int from, List<AllTargetsFailed.Attempt> failures) {
        int index = next(order, from);
        if (index < 0) {
            return Uni.createFrom().failure(exhausted(route, failures));
        }
        Target target = order.get(index);
        return Uni.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    target.inFlight().incrementAndGet();
                    return call.apply(target, index);
                })
                .onTermination().invoke(() -> target.inFlight().decrementAndGet())
                .onItem().invoke(item -> target.breaker().success())
                .onFailure().recoverWithUni(f -> {
                    GatewayException failure = asGateway(f);
                    judge(target, failure);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < order.size()) {
                        return attempt(route, order, onAttempt, call, index + 1, failures);
                    }
                    return Uni.createFrom().failure(exhausted(route, failures));
                });
    }

    private static <T> Multi<T> attemptStream(Route route, List<Target> order, Consumer<Target> onAttempt,
                                              BiFunction<Target, Integer, Multi<T>> call, int from,
                                              List<AllTargetsFailed.Attempt> failures) {
        int index = next(order, from);
        if (index < 0) {
            return Multi.createFrom().failure(exhausted(route, failures));
        }
        Target target = order.get(index);
        boolean[] started = new boolean[1];
        return Multi.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    target.inFlight().incrementAndGet();
                    return call.apply(target, index);
                })
                .onTermination().invoke(() -> target.inFlight().decrementAndGet())
                .onItem().invoke(item -> {
                    if (!started[0]) {
                        started[0] = true;
                        target.breaker().success();
                    }
                })
                .onFailure(f -> !started[0]).recoverWithMulti(f -> {
                    GatewayException failure = asGateway(f);
                    judge(target, failure);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < order.size()) {
                        return attemptStream(route, order, onAttempt, call, index + 1, failures);
                    }
                    return Multi.createFrom().failure(exhausted(route, failures));
                });
    }

    /** Upstream failures count against the target; a caller's mistake does not. */
    private static void judge(Target target, GatewayException failure) {
        if (failure.kind().fallback() || failure.kind() == ErrorKind.STREAM_INTERRUPTED) {
            target.breaker().failure();
        }
    }

    private static GatewayException exhausted(Route route, List<AllTargetsFailed.Attempt> failures) {
        if (!failures.isEmpty()) {
            return AllTargetsFailed.of(route.name(), failures);
        }
        long seconds = CircuitBreaker.OPEN_MILLIS / 1000;
        return new GatewayException(ErrorKind.UPSTREAM_UNAVAILABLE, "Every target of model '" + route.name()
                + "' is failing, so Fundament stopped sending to them for a moment (circuit breakers open). Retry after "
                + seconds + " s.", null, Map.of("Retry-After", String.valueOf(seconds)));
    }

    private static GatewayException asGateway(Throwable f) {
        return f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error while calling the model ("
                + f.getClass().getSimpleName() + ").");
    }
}
