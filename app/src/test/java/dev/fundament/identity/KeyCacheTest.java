package dev.fundament.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Databases;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many requests for a key that is not cached share one store read. */
class KeyCacheTest {

    /** A store whose reads wait until released, counting them. */
    static final class SlowStore implements ApiKeyStore {
        final ApiKeyStore delegate = new JdbcApiKeyStore(Databases.h2());
        final AtomicInteger reads = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Optional<ApiKey> findByHash(String hash) {
            reads.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.findByHash(hash);
        }

        @Override
        public void insert(ApiKey key) {
            delegate.insert(key);
        }

        @Override
        public Optional<ApiKey> findById(String id) {
            return delegate.findById(id);
        }

        @Override
        public List<ApiKey> list(String team) {
            return delegate.list(team);
        }

        @Override
        public boolean revoke(String id, java.time.Instant at) {
            return delegate.revoke(id, at);
        }

        @Override
        public boolean replace(String oldId, ApiKey next, java.time.Instant at) {
            return delegate.replace(oldId, next, at);
        }

        @Override
        public boolean hasUsableAdmin(java.time.Instant now) {
            return delegate.hasUsableAdmin(now);
        }
    }

    @Test
    void concurrentMissesShareOneRead() {
        SlowStore store = new SlowStore();
        Authenticator authenticator = new Authenticator(store, false, Clock.systemUTC());
        KeyService keys = new KeyService(store, new KeyRevocations(authenticator, null, (String) null), new ModelAccess(Map.of()),
                Clock.systemUTC(), a -> { });
        Principal admin = new Principal("root", false, null, java.util.Set.of(Role.ADMIN), java.util.Set.of(), null, null, Map.of());
        String key = keys.create(admin, new KeyRequest("app", null, null, true, null, null, null, null)).plaintext();

        List<Uni<Principal>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(authenticator.authenticate("Bearer " + key, null).memoize().indefinitely());
        }
        calls.forEach(c -> c.subscribe().with(p -> { }, f -> { }));
        store.release.countDown();
        for (Uni<Principal> c : calls) {
            assertThat(c.await().atMost(Duration.ofSeconds(5)).subject()).isNotBlank();
        }
        assertThat(store.reads).as("one read for 200 concurrent requests").hasValue(1);
        assertThat(authenticator.resolveCached("Bearer " + key, null)).isNotNull();
    }
}
