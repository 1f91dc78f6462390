package dev.fundament.routing;

import dev.fundament.error.AllTargetsFailed;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Tries a route's targets in order. The next target is tried only when the failure's
 * {@link ErrorKind#fallback()} allows it (never for a caller's mistake); when none is left, one
 * aggregate error lists every attempt. A stream falls back only before its first item: after that the
 * caller has seen part of one answer, and switching to another model would splice two answers.
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
        return attempt(route, onAttempt, call, 0, new ArrayList<>());
    }

    public static <T> Multi<T> stream(Route route, Consumer<Target> onAttempt, BiFunction<Target, Integer, Multi<T>> call) {
        return attemptStream(route, onAttempt, call, 0, new ArrayList<>());
    }

    private static <T> Uni<T> attempt(Route route, Consumer<Target> onAttempt, BiFunction<Target, Integer, Uni<T>> call,
                                      int index, List<AllTargetsFailed.Attempt> failures) {
        Target target = route.targets().get(index);
        return Uni.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    return call.apply(target, index);
                })
                .onFailure().recoverWithUni(f -> {
                    GatewayException failure = asGateway(f);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < route.targets().size()) {
                        return attempt(route, onAttempt, call, index + 1, failures);
                    }
                    return Uni.createFrom().failure(AllTargetsFailed.of(route.name(), failures));
                });
    }

    private static <T> Multi<T> attemptStream(Route route, Consumer<Target> onAttempt,
                                              BiFunction<Target, Integer, Multi<T>> call, int index,
                                              List<AllTargetsFailed.Attempt> failures) {
        Target target = route.targets().get(index);
        boolean[] started = new boolean[1];
        return Multi.createFrom().deferred(() -> {
                    onAttempt.accept(target);
                    return call.apply(target, index);
                })
                .onItem().invoke(item -> started[0] = true)
                .onFailure(f -> !started[0]).recoverWithMulti(f -> {
                    GatewayException failure = asGateway(f);
                    failures.add(new AllTargetsFailed.Attempt(target.label(), failure));
                    if (failure.kind().fallback() && index + 1 < route.targets().size()) {
                        return attemptStream(route, onAttempt, call, index + 1, failures);
                    }
                    return Multi.createFrom().failure(AllTargetsFailed.of(route.name(), failures));
                });
    }

    private static GatewayException asGateway(Throwable f) {
        return f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error while calling the model ("
                + f.getClass().getSimpleName() + ").");
    }
}
