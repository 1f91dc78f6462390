package dev.fundament.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.testing.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyServiceTest {

    @TempDir
    Path data;

    JdbcApiKeyStore store;
    Authenticator authenticator;
    KeyService keys;

    @BeforeEach
    void setUp() {
        store = new JdbcApiKeyStore(Databases.h2());
        authenticator = new Authenticator(store, false, Clock.systemUTC());
        keys = new KeyService(store, new KeyRevocations(authenticator, null, (String) null), new ModelAccess(Map.of()), Clock.systemUTC(), a -> { });
    }

    @Test
    void firstStartWritesAnAdminKeyOnlyItsOwnerCanRead() throws Exception {
        keys.bootstrap(null, Optional.empty(), data.toString());
        Path file = data.resolve(KeyService.ADMIN_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String key = Files.readString(file).strip();
        Principal admin = authenticator.authenticate("Bearer " + key, null).await().atMost(Duration.ofSeconds(5));
        assertThat(admin.has(Role.ADMIN)).isTrue();

        keys.bootstrap(null, Optional.empty(), data.toString());
        assertThat(Files.readString(file).strip()).as("a second start keeps the first admin key").isEqualTo(key);
        assertThat(store.list(null)).hasSize(1);
    }

    @Test
    void bootstrapKeyFromTheEnvironmentIsStoredOnce() {
        keys.bootstrap(null, Optional.of("fk-from-environment-key-1234567890"), data.toString());
        keys.bootstrap(null, Optional.of("fk-from-environment-key-1234567890"), data.toString());
        assertThat(store.list(null)).hasSize(1).first().satisfies(k -> {
            assertThat(k.prefix()).isEqualTo("fk-from-envi");
            assertThat(k.hash()).isEqualTo(KeyMaterial.hash("fk-from-environment-key-1234567890"));
        });
        assertThat(Files.exists(data.resolve(KeyService.ADMIN_KEY_FILE))).isFalse();
    }

    @Test
    void onlyAdminsAndTeamAdminsCreateKeys() {
        Principal user = new Principal("ann", false, "sales", java.util.Set.of(Role.USER), java.util.Set.of(), null, null, Map.of());
        assertThatThrownBy(() -> keys.create(user, new KeyRequest("k", "sales", null, false, null, null, null, null)))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
        Principal auditor = new Principal("audit", false, null, java.util.Set.of(Role.AUDITOR), java.util.Set.of(), null, null, Map.of());
        assertThat(keys.list(auditor, null)).isEmpty();
    }

    private static final Principal ADMIN = new Principal("root", false, null, java.util.Set.of(Role.ADMIN), java.util.Set.of(),
            null, null, Map.of());
    private static final Principal SALES_LEAD = new Principal("lead", false, "sales", java.util.Set.of(Role.TEAM_ADMIN),
            java.util.Set.of(), null, null, Map.of());

    private KeyService withSales() {
        return new KeyService(store, new KeyRevocations(authenticator, null, (String) null),
                new ModelAccess(Map.of("sales", new dev.fundament.config.IdentitySpec.TeamSpec("sales", null))), Clock.systemUTC(), a -> { });
    }

    private static GatewayException refusal(Runnable call) {
        try {
            call.run();
        } catch (GatewayException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    /**
     * A team admin rotated an admin-issued key with groups: board and got a key that reads
     * group:board documents. A rotation carries the key's groups, subject and issuer, so a team admin
     * may rotate only keys it could have made; an admin still rotates any key, and the groups stay.
     */
    @Test
    void aTeamAdminCannotRotateAKeyItCouldNotHaveMade() {
        KeyService keys = withSales();
        ApiKey board = keys.create(ADMIN, new KeyRequest("board-bot", "sales", null, false, null, null,
                Map.of("groups", "board"), null)).key();
        GatewayException e = refusal(() -> keys.rotate(SALES_LEAD, board.id()));
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(store.findById(board.id()).orElseThrow().revokedAt()).as("the old key still works").isNull();

        ApiKey named = keys.create(ADMIN, new KeyRequest("ceo-bot", "sales", null, false, "ceo", null, null, null)).key();
        assertThat(refusal(() -> keys.rotate(SALES_LEAD, named.id())).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);

        ApiKey own = keys.create(SALES_LEAD, new KeyRequest("crm", null, null, false, null, null, null, null)).key();
        assertThat(keys.rotate(SALES_LEAD, own.id()).key().metadata()).containsEntry(KeyService.ISSUED_BY, "team-admin");
        assertThat(keys.rotate(ADMIN, board.id()).key().metadata()).containsEntry("groups", "board");
    }

    /** A team admin named another person as a key's subject, so ledger and audit blamed them. */
    @Test
    void onlyAdminsSetASubject() {
        KeyService keys = withSales();
        GatewayException e = refusal(() -> keys.create(SALES_LEAD, new KeyRequest("crm", null, null, false, "ceo", null, null, null)));
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(e.param()).isEqualTo("subject");
        assertThat(keys.create(ADMIN, new KeyRequest("crm", "sales", null, false, "ann", null, null, null)).key().subject())
                .isEqualTo("ann");
        assertThat(refusal(() -> keys.create(SALES_LEAD, new KeyRequest("scraper", null, java.util.Set.of(Role.METRICS), false,
                null, null, null, null))).kind()).as("the metrics role is an admin's to give").isEqualTo(ErrorKind.PERMISSION_DENIED);
    }

    /**
     * The hostile sequence: a team admin made {"name": "ceo@corp.com", "metadata": {"auth": "sso"}}.
     * Its subject fell back to its name, so ledger and audit blamed the CEO, and auth: sso made it a
     * vouched identity reading user:ceo@corp.com documents. Now auth (like groups, and any metadata a
     * rollout or a target's condition matches on) is an admin's to set, a team admin's key is
     * attributed to key:<team>/<name>, and only an SSO token or an admin's key vouches for a user.
     */
    @Test
    void aTeamAdminsKeyIsNobodysIdentity() {
        KeyService keys = new KeyService(store, new KeyRevocations(authenticator, null, (String) null),
                new ModelAccess(Map.of("sales", new dev.fundament.config.IdentitySpec.TeamSpec("sales", null)), java.util.Set.of("tier")),
                Clock.systemUTC(), a -> { });
        for (String field : java.util.List.of("auth", "groups", "tier")) {
            GatewayException e = refusal(() -> keys.create(SALES_LEAD, new KeyRequest("ceo@corp.com", null, null, false, null, null,
                    Map.of(field, "sso"), null)));
            assertThat(e.kind()).as(field).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.param()).isEqualTo("metadata." + field);
        }
        KeyService.Created named = keys.create(SALES_LEAD, new KeyRequest("ceo@corp.com", null, null, false, null, null,
                Map.of("app", "crm"), null));
        assertThat(named.key().subject()).isEqualTo("key:sales/ceo@corp.com");
        Principal caller = authenticator.authenticate("Bearer " + named.plaintext(), null).await().atMost(Duration.ofSeconds(5));
        assertThat(dev.fundament.retrieval.Readers.of(caller)).containsExactly("public", "team:sales");

        // a key whose stored metadata says auth: sso (as one made before this check would) is still no SSO user
        ApiKey forged = named.key();
        Principal claimed = new Principal("ceo@corp.com", false, "sales", forged.roles(), java.util.Set.of(), forged.id(),
                forged.prefix(), Map.of("auth", "sso", KeyService.ISSUED_BY, "team-admin"));
        assertThat(dev.fundament.retrieval.Readers.of(claimed)).doesNotContain("user:ceo@corp.com");
        Principal sso = new Principal("ceo@corp.com", false, "sales", java.util.Set.of(Role.USER), java.util.Set.of(), null, null,
                Map.of("auth", "sso", "groups", ""));
        assertThat(dev.fundament.retrieval.Readers.of(sso)).contains("user:ceo@corp.com");

        KeyService.Created byAdmin = keys.create(ADMIN, new KeyRequest("ceo-assistant", "sales", null, false, "ceo@corp.com", null,
                Map.of("auth", "sso", "groups", "board", "tier", "gold"), null));
        Principal vouched = authenticator.authenticate("Bearer " + byAdmin.plaintext(), null).await().atMost(Duration.ofSeconds(5));
        assertThat(dev.fundament.retrieval.Readers.of(vouched)).contains("user:ceo@corp.com", "group:board");
        assertThat(refusal(() -> keys.rotate(SALES_LEAD, byAdmin.key().id())).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(keys.rotate(SALES_LEAD, named.key().id()).key().subject()).as("a rotation keeps the namespaced subject")
                .isEqualTo("key:sales/ceo@corp.com");

        assertThat(refusal(() -> keys.create(SALES_LEAD, new KeyRequest("n".repeat(195), null, null, false, null, null, null, null)))
                .param()).as("key:sales/ and the name must fit the subject column").isEqualTo("name");
    }

    @Test
    void aKeyCannotBeMadeAlreadyExpired() {
        KeyService keys = withSales();
        GatewayException e = refusal(() -> keys.create(ADMIN, new KeyRequest("old", "sales", null, false, null, null, null,
                java.time.Instant.now().minusSeconds(1))));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.param()).isEqualTo("expires_at");
        assertThat(keys.create(ADMIN, new KeyRequest("new", "sales", null, false, null, null, null,
                java.time.Instant.now().plusSeconds(3600))).key().expiresAt()).isNotNull();
    }

    /** Every string of a key is bounded by what its columns hold: api_keys, ledger.use_case, audit subject. */
    @Test
    void keyFieldsAreBoundedByTheirColumns() {
        KeyService keys = withSales();
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("n".repeat(201), "sales", null, false, null, null, null, null)))
                .param()).isEqualTo("name");
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("x", "sales", null, false, "s".repeat(201), null, null, null)))
                .param()).isEqualTo("subject");
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("x", "sales", null, false, null, null,
                Map.of("use_case", "u".repeat(101)), null))).param()).isEqualTo("metadata.use_case");
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("x", "sales", null, false, null, null,
                Map.of("app", "line\nbreak"), null))).param()).isEqualTo("metadata.app");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 17; i++) {
            many.put("k" + i, "v");
        }
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("x", "sales", null, false, null, null, many, null)))
                .param()).isEqualTo("metadata");
        Map<String, String> quoted = new java.util.HashMap<>();
        for (int i = 0; i < 16; i++) {
            quoted.put("k" + i, "\"".repeat(200));
        }
        assertThat(refusal(() -> keys.create(ADMIN, new KeyRequest("x", "sales", null, false, null, null, quoted, null)))
                .getMessage()).as("escaped quotes double the stored JSON").contains("as JSON; at most 4000");
    }
}
