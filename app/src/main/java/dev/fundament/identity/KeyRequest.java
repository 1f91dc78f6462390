package dev.fundament.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a new key should be. Validated by {@link KeyService#create}.
 *
 * @param team          the key's team; {@code null} for an organisation-wide key (admins only)
 * @param subject       the user id or service-account name; defaults to {@code name}
 * @param allowedModels empty: every model the team may use
 * @param expiresAt     {@code null}: never expires
 */
public record KeyRequest(String name, String team, Set<Role> roles, boolean service, String subject,
                         Set<String> allowedModels, Map<String, String> metadata, Instant expiresAt) {

    public KeyRequest {
        roles = roles == null || roles.isEmpty() ? Set.of(Role.USER) : Set.copyOf(roles);
        allowedModels = allowedModels == null ? Set.of() : Set.copyOf(allowedModels);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
