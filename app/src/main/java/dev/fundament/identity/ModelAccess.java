package dev.fundament.identity;

import dev.fundament.config.Configuration;
import dev.fundament.config.IdentitySpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;

/**
 * Which models a principal may use: its key's allow-list and its team's, both when set (an empty list
 * allows everything at that level); and which key metadata opens a model or a target, so that only an
 * admin sets it on a key.
 */
@ApplicationScoped
public class ModelAccess {

    private final Map<String, IdentitySpec.TeamSpec> teams;
    private final Set<String> conditionMetadata;

    @Inject
    public ModelAccess(Configuration configuration) {
        this(configuration.spec().identity().teams(), conditionMetadata(configuration.spec().models()));
    }

    ModelAccess(Map<String, IdentitySpec.TeamSpec> teams) {
        this(teams, Set.of());
    }

    ModelAccess(Map<String, IdentitySpec.TeamSpec> teams, Set<String> conditionMetadata) {
        this.teams = Map.copyOf(teams);
        this.conditionMetadata = Set.copyOf(conditionMetadata);
    }

    /**
     * @return the key-metadata names a {@code rollout:} or a target's {@code when:} matches on: a key
     *         carrying the right value is let into a model being rolled out, or onto a target
     */
    public Set<String> conditionMetadata() {
        return conditionMetadata;
    }

    private static Set<String> conditionMetadata(Map<String, dev.fundament.config.ModelSpec> models) {
        Set<String> names = new java.util.TreeSet<>();
        for (dev.fundament.config.ModelSpec m : models.values()) {
            if (m.rollout() != null) {
                names.addAll(m.rollout().metadata().keySet());
            }
            for (dev.fundament.config.TargetSpec t : m.allTargets()) {
                if (t != null && t.when() != null) {
                    names.addAll(t.when().metadata().keySet());
                }
            }
        }
        return names;
    }

    public boolean allowed(Principal principal, String model) {
        if (!principal.allowedModels().isEmpty() && !principal.allowedModels().contains(model)) {
            return false;
        }
        IdentitySpec.TeamSpec team = principal.team() == null ? null : teams.get(principal.team());
        return team == null || team.allowedModels().isEmpty() || team.allowedModels().contains(model);
    }

    /** @throws GatewayException 403 {@code model_not_allowed} */
    public void check(Principal principal, String model) {
        if (!principal.mayCallApi()) {
            throw Principal.metricsOnly();
        }
        if (!allowed(principal, model)) {
            throw new GatewayException(ErrorKind.MODEL_NOT_ALLOWED, "Your key may not use model '" + model
                    + "'. Ask your team admin to allow it for your key or team.", "model");
        }
    }

    /** @return the team ids the configuration defines */
    public Set<String> teams() {
        return teams.keySet();
    }

    IdentitySpec.TeamSpec team(String id) {
        return teams.get(id);
    }
}
