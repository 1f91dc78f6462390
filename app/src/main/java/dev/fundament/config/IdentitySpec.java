package dev.fundament.config;

import java.util.List;
import java.util.Map;

/**
 * Who may call Fundament.
 *
 * @param anonymous when true, requests without credentials run as the built-in user {@code anonymous}
 *                  (role user, team {@code default}); default false: every request must authenticate
 * @param teams     the organisation's teams by id; keys and tokens name one of these
 */
public record IdentitySpec(Boolean anonymous, Map<String, TeamSpec> teams) {

    public static final IdentitySpec DEFAULTS = new IdentitySpec(null, null);

    public IdentitySpec {
        anonymous = anonymous != null ? anonymous : Boolean.FALSE;
        teams = teams != null ? teams : Map.of();
    }

    /**
     * One team.
     *
     * @param name          display name; default the id
     * @param allowedModels public model names the team may use; empty (default) allows every model
     */
    public record TeamSpec(String name, List<String> allowedModels) {
        public TeamSpec {
            allowedModels = allowedModels != null ? allowedModels : List.of();
        }
    }
}
