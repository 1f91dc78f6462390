package dev.fundament.identity;

import java.util.Map;
import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param subject       the user id or service-account name
 * @param service       true for an application's service account
 * @param team          the team id, or {@code null} for organisation-wide principals
 * @param allowedModels models this principal may use; empty means every model its team may use
 * @param keyPrefix     the prefix of the key used, for logs and records; never the key
 * @param metadata      the key's metadata (app name, cost centre, use-case tag); {@code groups} holds the
 *                      caller's groups, comma-separated (from the SSO token's roles claim, or set on a key)
 */
public record Principal(String subject, boolean service, String team, Set<Role> roles, Set<String> allowedModels,
                        String keyId, String keyPrefix, Map<String, String> metadata) {

    public static final Principal ANONYMOUS = new Principal("anonymous", false, "default", Set.of(Role.USER),
            Set.of(), null, null, Map.of());

    public Principal {
        roles = Set.copyOf(roles);
        allowedModels = Set.copyOf(allowedModels);
        metadata = Map.copyOf(metadata);
    }

    /** @return the caller's groups, for access to company data ({@code group:<name>} readers) */
    public java.util.List<String> groups() {
        String groups = metadata.get("groups");
        if (groups == null || groups.isBlank()) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(groups.split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList();
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /**
     * Whether this principal may use {@code /v1} (models, embeddings, collections): it holds a role
     * other than {@code metrics}. A monitoring system's key reads {@code /q/metrics} and nothing else;
     * one that also holds another role acts in that role.
     */
    public boolean mayCallApi() {
        return roles.stream().anyMatch(r -> r != Role.METRICS);
    }

    /** @return the 403 for a principal that may not use {@code /v1} */
    public static dev.fundament.error.GatewayException metricsOnly() {
        return new dev.fundament.error.GatewayException(dev.fundament.error.ErrorKind.PERMISSION_DENIED, "This key has only"
                + " the metrics role: it reads /q/metrics and calls nothing under /v1. Use a key with the user role.");
    }

    /** @return whether this principal may read or manage things of the given team */
    public boolean canManageTeam(String otherTeam) {
        return has(Role.ADMIN) || has(Role.TEAM_ADMIN) && team != null && team.equals(otherTeam);
    }
}
