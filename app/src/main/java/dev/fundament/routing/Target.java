package dev.fundament.routing;

import dev.fundament.providers.Provider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place a route can send a request: a provider and the model name that provider knows, with its
 * version label, weight and condition, and its live state: circuit breaker, calls in flight, recent
 * latency, and its provider's admission control and health (both shared by every target of that
 * provider).
 *
 * @param upstreamModel the upstream's model (for Azure the deployment name)
 * @param version       a label for the model version this target serves, such as {@code 2024-08-06}; may be null
 * @param weights       share of first attempts for a weighted route, 0 for fallback-only targets;
 *                      changed at run time by promotions and rollbacks
 * @param when          the requests this target serves
 */
public record Target(Provider provider, String upstreamModel, String version, AtomicInteger weights, CircuitBreaker breaker,
                     AtomicInteger inFlight, Admission admission, Condition when, Latency latency, Health health) {

    public Target(Provider provider, String upstreamModel, String version, int weight, CircuitBreaker breaker,
                  AtomicInteger inFlight, Admission admission) {
        this(provider, upstreamModel, version, new AtomicInteger(weight), breaker, inFlight, admission, Condition.ALWAYS,
                new Latency(), new Health());
    }

    public Target(Provider provider, String upstreamModel) {
        this(provider, upstreamModel, null, 0, new CircuitBreaker(), new AtomicInteger(), Admission.unlimited(provider.name()));
    }

    /** @return the current weight: configured, or as last set through the admin API */
    public int weight() {
        return weights.get();
    }

    /** @return {@code provider/model}, as shown in errors and metrics */
    public String label() {
        return provider.name() + "/" + upstreamModel;
    }
}
