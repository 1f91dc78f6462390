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
}
