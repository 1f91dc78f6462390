package dev.fundament.config;

import java.util.List;
import java.util.Map;

/**
 * Who may call Fundament.
 *
 * @param anonymous when true, requests without credentials run as the built-in user {@code anonymous}
 *                  (role user, team {@code default}); default false: every request must authenticate
 * @param teams     the organisation's teams by id; keys and tokens name one of these
 * @param sso       company single sign-on: JWT bearer tokens from the identity provider; optional
 */
public record IdentitySpec(Boolean anonymous, Map<String, TeamSpec> teams, SsoSpec sso) {

    public static final IdentitySpec DEFAULTS = new IdentitySpec(null, null, null);

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

    /**
     * Tokens from the company's OpenID Connect provider (Keycloak, Entra ID, Okta), checked against
     * its published keys.
     *
     * @param issuer      the exact {@code iss} the tokens carry
     * @param jwksUrl     where the provider publishes its signing keys (JWKS)
     * @param audience    the {@code aud} tokens must be for; default {@code fundament}
     * @param clockSkew   tolerance for {@code exp} and {@code nbf}; default 30s
     * @param userClaim   the claim naming the user; default {@code sub}
     * @param teamClaim   the claim naming the team (a string, or a list whose first configured team wins);
     *                    default {@code team}
     * @param rolesClaim  the claim listing the user's groups or roles, a dotted path such as
     *                    {@code realm_access.roles}; default {@code roles}
     * @param roleMapping which provider group or role grants which Fundament role (admin, team-admin,
     *                    auditor, user)
     * @param defaultRole the role of a signed-in user no mapping applies to; default user
     */
    public record SsoSpec(@Required String issuer, @Required String jwksUrl, String audience, java.time.Duration clockSkew,
                          String userClaim, String teamClaim, String rolesClaim, Map<String, String> roleMapping,
                          String defaultRole) {
        public SsoSpec {
            audience = audience != null ? audience : "fundament";
            clockSkew = clockSkew != null ? clockSkew : java.time.Duration.ofSeconds(30);
            userClaim = userClaim != null ? userClaim : "sub";
            teamClaim = teamClaim != null ? teamClaim : "team";
            rolesClaim = rolesClaim != null ? rolesClaim : "roles";
            roleMapping = roleMapping != null ? roleMapping : Map.of();
            defaultRole = defaultRole != null ? defaultRole : "user";
        }
    }
}
