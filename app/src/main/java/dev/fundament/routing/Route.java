package dev.fundament.routing;

import dev.fundament.config.ModelKind;
import dev.fundament.config.RouteStrategy;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A public model name and its targets, in fallback order, with how the first attempt is picked.
 *
 * @param configured false for a direct {@code <provider>/<model>} route made on demand
 * @param rollout    who the model is enabled for (a feature flag); {@link Condition#ALWAYS} for everyone
 * @param shadow     the candidate that gets a copy of a share of the requests, or null
 * @param timeout    the deadline of a request, all attempts, retries and waits included
 */
public record Route(String name, ModelKind kind, List<Target> targets, boolean configured, RouteStrategy strategy,
                    Condition rollout, Shadow shadow, Duration timeout) {

    /** A request's deadline when its model names none: the providers' default total timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Route {
        targets = List.copyOf(targets);
        timeout = timeout != null ? timeout : DEFAULT_TIMEOUT;
    }

    public Route(String name, ModelKind kind, List<Target> targets, boolean configured) {
        this(name, kind, targets, configured, RouteStrategy.WEIGHTED, Condition.ALWAYS, null, null);
    }

    public Route(String name, ModelKind kind, List<Target> targets, boolean configured, RouteStrategy strategy,
                 Condition rollout, Shadow shadow) {
        this(name, kind, targets, configured, strategy, rollout, shadow, null);
    }

    /** @return the current weight of each version label, summed over its targets; unlabelled targets left out */
    public java.util.Map<String, Integer> weights() {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (Target t : targets) {
            if (t.version() != null) {
                out.merge(t.version(), t.weight(), Integer::sum);
            }
        }
        return out;
    }

    /** @return the same route with fewer targets (narrowed by residency rules or conditions) */
    public Route withTargets(List<Target> fewer) {
        return new Route(name, kind, fewer, configured, strategy, rollout, shadow, timeout);
    }

    /**
     * @return the route with the targets whose condition the caller meets; this route when all do
     * @throws GatewayException {@code permission_denied} when the caller meets none
     */
    public Route select(Caller caller) {
        List<Target> open = null;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            boolean match = t.when() == Condition.ALWAYS || t.when().matches(caller, name);
            if (!match && open == null) {
                open = new ArrayList<>(targets.subList(0, i));
            } else if (match && open != null) {
                open.add(t);
            }
        }
        if (open == null) {
            return this;
        }
        if (open.isEmpty()) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "No target of model '" + name
                    + "' serves this request: each is limited by a condition (team, key, header, metadata, data classification"
                    + " or cohort) that it does not meet. Ask an admin, or use another model.", "model");
        }
        return withTargets(open);
    }

    /**
     * A candidate that gets a copy of a share of the requests.
     *
     * @param percent share of requests copied, 0..100
     */
    public record Shadow(Target target, int percent) {
    }
}
