package dev.fundament.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} must do; each implementation's test extends this. */
abstract class ApiKeyStoreContract {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    ApiKeyStore store;

    abstract ApiKeyStore create();

    @BeforeEach
    void setUp() {
        store = create();
    }

    static ApiKey key(String team, Set<Role> roles) {
        KeyMaterial.NewKey material = KeyMaterial.generate();
        return new ApiKey(UUID.randomUUID().toString(), material.prefix(), material.hash(), "crm-bot", true, "crm-bot",
                team, roles, Set.of("gpt-4o-mini"), Map.of("app", "crm", "cost_centre", "4711"), NOW, null, null, null);
    }

    @Test
    void storesAndFindsByHashAndId() {
        ApiKey key = key("sales", Set.of(Role.USER));
        store.insert(key);
        ApiKey found = store.findByHash(key.hash()).orElseThrow();
        assertThat(found).isEqualTo(key);
        assertThat(store.findById(key.id())).contains(key);
        assertThat(store.findByHash(KeyMaterial.hash("fk-unknown"))).isEmpty();
    }

    @Test
    void listsByTeamNewestFirst() {
        ApiKey older = key("sales", Set.of(Role.USER));
        ApiKey newer = new ApiKey(UUID.randomUUID().toString(), "fk-newer0000", KeyMaterial.hash("x"), "n", false, "ann",
                "sales", Set.of(Role.USER), Set.of(), Map.of(), NOW.plusSeconds(60), null, null, null);
        ApiKey other = key("hr", Set.of(Role.TEAM_ADMIN));
        store.insert(older);
        store.insert(newer);
        store.insert(other);
        assertThat(store.list("sales")).extracting(ApiKey::id).containsExactly(newer.id(), older.id());
        assertThat(store.list(null)).hasSize(3);
        assertThat(store.list("nobody")).isEmpty();
    }

    @Test
    void revokeOnceOnly() {
        ApiKey key = key("sales", Set.of(Role.USER));
        store.insert(key);
        assertThat(store.revoke(key.id(), NOW.plusSeconds(5))).isTrue();
        assertThat(store.revoke(key.id(), NOW.plusSeconds(9))).isFalse();
        ApiKey revoked = store.findById(key.id()).orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(revoked.usableAt(NOW.plusSeconds(6))).isFalse();
        assertThat(store.revoke("no-such-id", NOW)).isFalse();
    }

    @Test
    void replaceIsAtomic() {
        ApiKey old = key("sales", Set.of(Role.USER));
        store.insert(old);
        ApiKey next = key("sales", Set.of(Role.USER));
        assertThat(store.replace(old.id(), next, NOW.plusSeconds(1))).isTrue();
        assertThat(store.findById(old.id()).orElseThrow().replacedBy()).isEqualTo(next.id());
        assertThat(store.findByHash(next.hash())).isPresent();

        ApiKey third = key("sales", Set.of(Role.USER));
        assertThat(store.replace(old.id(), third, NOW.plusSeconds(2))).as("already revoked").isFalse();
        assertThat(store.findById(third.id())).as("nothing stored when the rotation is refused").isEmpty();
    }

    @Test
    void usableAdminIgnoresRevokedAndExpiredKeys() {
        assertThat(store.hasUsableAdmin(NOW)).isFalse();
        ApiKey expired = new ApiKey(UUID.randomUUID().toString(), "fk-expired00", KeyMaterial.hash("e"), "old", false, "root",
                null, Set.of(Role.ADMIN), Set.of(), Map.of(), NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)),
                null, null);
        store.insert(expired);
        assertThat(store.hasUsableAdmin(NOW)).isFalse();
        ApiKey admin = key(null, Set.of(Role.ADMIN, Role.AUDITOR));
        store.insert(admin);
        assertThat(store.hasUsableAdmin(NOW)).isTrue();
        store.revoke(admin.id(), NOW);
        assertThat(store.hasUsableAdmin(NOW.plus(1, ChronoUnit.SECONDS))).isFalse();
    }
}
