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
 * allows everything at that level).
 */
@ApplicationScoped
public class ModelAccess {

    private final Map<String, IdentitySpec.TeamSpec> teams;

    @Inject
    public ModelAccess(Configuration configuration) {
        this(configuration.spec().identity().teams());
    }

    ModelAccess(Map<String, IdentitySpec.TeamSpec> teams) {
        this.teams = Map.copyOf(teams);
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
        if (principal.roles().equals(Set.of(Role.METRICS))) {
            throw new GatewayException(ErrorKind.MODEL_NOT_ALLOWED, "This key has only the metrics role: it reads /q/metrics"
                    + " and calls no model. Use a key with the user role.", "model");
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
