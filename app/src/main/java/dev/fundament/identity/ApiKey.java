package dev.fundament.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A stored key: everything about it except the key itself, of which only {@code hash} is kept.
 *
 * @param prefix        the first characters of the key, shown in lists to tell keys apart
 * @param hash          SHA-256 of the key, hex
 * @param allowedModels empty means every model the team may use
 * @param expiresAt     {@code null} for a key that does not expire
 * @param revokedAt     {@code null} while the key is valid
 * @param replacedBy    the id of the key that replaced this one on rotation
 */
public record ApiKey(String id, String prefix, String hash, String name, boolean service, String subject, String team,
                     Set<Role> roles, Set<String> allowedModels, Map<String, String> metadata, Instant createdAt,
                     Instant expiresAt, Instant revokedAt, String replacedBy) {

    public ApiKey {
        roles = Set.copyOf(roles);
        allowedModels = Set.copyOf(allowedModels);
        metadata = Map.copyOf(metadata);
    }

    /** @return whether the key may be used at {@code now} */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public Principal principal() {
        return new Principal(subject, service, team, roles, allowedModels, id, prefix, metadata);
    }
}
