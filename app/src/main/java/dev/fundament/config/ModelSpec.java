package dev.fundament.config;

import java.util.List;

/**
 * A public model name. Either one target ({@code provider} and {@code model}) or an ordered list of
 * {@code targets}, tried in turn when one fails with an error that allows fallback.
 *
 * @param kind        chat (default) or embedding
 * @param description shown in {@code /v1/models} responses as {@code owned_by} context; optional
 * @param strategy    how the first attempt's target is picked; default weighted when a target has a
 *                    weight, else ordered
 * @param rollout     a feature flag: the model serves only this cohort (teams, a sticky share of users);
 *                    default everyone
 * @param shadow      a candidate that gets a copy of a share of the requests; optional
 * @param timeout     a request's deadline, every attempt, retry and wait included: no attempt starts
 *                    after it; default 10m
 */
public record ModelSpec(String provider, String model, List<TargetSpec> targets, ModelKind kind,
                        String description, RouteStrategy strategy, ConditionSpec rollout, ShadowSpec shadow,
                        java.time.Duration timeout) {

    public ModelSpec(String provider, String model, List<TargetSpec> targets, ModelKind kind, String description) {
        this(provider, model, targets, kind, description, null, null, null, null);
    }

    public ModelSpec {
        targets = targets != null ? targets : List.of();
        kind = kind != null ? kind : ModelKind.CHAT;
        if (strategy == null) {
            strategy = targets.stream().anyMatch(t -> t != null && t.weight() != null) ? RouteStrategy.WEIGHTED : RouteStrategy.ORDERED;
        }
    }

    /** @return the targets, the single-target form included */
    public List<TargetSpec> allTargets() {
        return provider != null ? List.of(new TargetSpec(provider, model)) : targets;
    }
}
