package dev.fundament.config;

/**
 * How a model picks the target of a request's first attempt; the other targets follow as fallbacks.
 */
public enum RouteStrategy implements WireName {
    /** The targets in configured order. */
    ORDERED("ordered"),
    /** Drawn by the targets' weights (A/B tests, canaries); the default when any target has a weight. */
    WEIGHTED("weighted"),
    /**
     * The target with the least expected wait: its calls in flight times its recent latency (an
     * exponentially weighted moving average), for replicas of one on-prem model.
     */
    LEAST_LATENCY("least_latency");

    private final String wire;

    RouteStrategy(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
