package dev.fundament.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable key storage. Blocking (JDBC): call it from a worker thread, never an event loop.
 * Implementations: {@link JdbcApiKeyStore} over the embedded H2 database or PostgreSQL; both pass
 * {@code ApiKeyStoreContract}.
 */
public interface ApiKeyStore {

    void insert(ApiKey key);

    Optional<ApiKey> findByHash(String hash);

    Optional<ApiKey> findById(String id);

    /** @param team only this team's keys, or every key when {@code null}; newest first */
    List<ApiKey> list(String team);

    /** @return false when there is no such key or it was already revoked */
    boolean revoke(String id, Instant at);

    /**
     * Replaces a key atomically: the new key is stored and the old one revoked and pointed at it, or
     * neither happens.
     *
     * @return false when the old key does not exist or is already revoked
     */
    boolean replace(String oldId, ApiKey next, Instant at);

    /** @return whether any usable key has the admin role */
    boolean hasUsableAdmin(Instant now);
}
