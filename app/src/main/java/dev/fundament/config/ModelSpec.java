package dev.fundament.config;

import java.util.List;

/**
 * A public model name. Either one target ({@code provider} and {@code model}) or an ordered list of
 * {@code targets}, tried in turn when one fails with an error that allows fallback.
 *
 * @param kind        chat (default) or embedding
 * @param description shown in {@code /v1/models} responses as {@code owned_by} context; optional
 */
public record ModelSpec(String provider, String model, List<TargetSpec> targets, ModelKind kind,
                        String description) {

    public ModelSpec {
        targets = targets != null ? targets : List.of();
        kind = kind != null ? kind : ModelKind.CHAT;
    }

    /** @return the targets, the single-target form included */
    public List<TargetSpec> allTargets() {
        return provider != null ? List.of(new TargetSpec(provider, model)) : targets;
    }
}
