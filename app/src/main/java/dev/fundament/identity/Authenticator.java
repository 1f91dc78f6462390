package dev.fundament.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fundament.config.Configuration;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a request's credentials into a {@link Principal}.
 *
 * <p>Credentials are {@code Authorization: Bearer <key>} or, for Azure-style clients, {@code api-key}.
 * With {@code identity.sso} configured, a bearer JWT from the company's identity provider works too
 * ({@link TokenVerifier}); verified tokens are cached by hash until they expire (at most five minutes).
 * Looked-up keys are cached for a few seconds so the hot path does no database read; the cache holds
 * keys by hash, never the key, and {@link KeyRevocations} evicts a key the moment it is revoked or
 * rotated, here and, through Redis, on every other instance (without Redis, other instances within
 * {@value #CACHE_SECONDS} s). A key in use is read again in the background shortly before its entry
 * expires, and concurrent requests for a key not cached share one read: without that, every few
 * seconds a busy key's requests would all miss at once and queue for the database. Expiry is checked on every request against the cached record. Key lookup
 * is by SHA-256 hash, and the found hash is compared again in constant time.
 *
 * <p>Error messages never contain the presented credential.
 */
@ApplicationScoped
public class Authenticator {

    static final int CACHE_SECONDS = 5;

    private final ApiKeyStore store;
    private final boolean anonymous;
    private final Clock clock;
    private final TokenVerifier tokens;
    private final com.github.benmanes.caffeine.cache.AsyncLoadingCache<String, Optional<ApiKey>> cache;
    private final Cache<String, TokenVerifier.Verified> verifiedTokens = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(5)).build();

    @Inject
    public Authenticator(ApiKeyStore store, Configuration configuration) {
        this(store, configuration.spec().identity().anonymous(), Clock.systemUTC(),
                configuration.spec().identity().sso() == null ? null
                        : new TokenVerifier(configuration.spec().identity().sso(), configuration.spec().identity().teams().keySet()));
    }

    Authenticator(ApiKeyStore store, boolean anonymous, Clock clock) {
        this(store, anonymous, clock, null);
    }

    Authenticator(ApiKeyStore store, boolean anonymous, Clock clock, TokenVerifier tokens) {
        this.cache = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(Duration.ofSeconds(CACHE_SECONDS))
                .refreshAfterWrite(Duration.ofMillis(CACHE_SECONDS * 1000L * 4 / 5))
                .executor(Infrastructure.getDefaultWorkerPool())
                .buildAsync(this::lookup);
        this.store = store;
        this.anonymous = anonymous;
        this.clock = clock;
        this.tokens = tokens;
    }

    /**
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param apiKeyHeader  the {@code api-key} header, or {@code null}
     */
    public Uni<Principal> authenticate(String authorization, String apiKeyHeader) {
        String key = credential(authorization, apiKeyHeader);
        if (key == null) {
            return anonymous ? Uni.createFrom().item(Principal.ANONYMOUS) : Uni.createFrom().failure(unauthenticated(
                    "Missing credentials: send your Fundament key as 'Authorization: Bearer <key>'."));
        }
        String hash = KeyMaterial.hash(key);
        if (isToken(key)) {
            return Uni.createFrom().item(() -> verifyToken(key, hash)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().completionStage(() -> cache.get(hash))
                .onFailure(f -> f instanceof StoreException || f.getCause() instanceof StoreException).transform(e -> new GatewayException(ErrorKind.STORE_UNAVAILABLE,
                        "Credentials cannot be checked right now: the key store is unavailable. Retry shortly."))
                .onItem().transform(this::check);
    }

    /**
     * The fast path: resolves without I/O when it can.
     *
     * @return the principal, or {@code null} when the store must be read ({@link #authenticate})
     * @throws GatewayException 401 when the credentials are missing or known to be bad
     */
    public Principal resolveCached(String authorization, String apiKeyHeader) {
        String key = credential(authorization, apiKeyHeader);
        if (key == null) {
            if (anonymous) {
                return Principal.ANONYMOUS;
            }
            throw unauthenticated("Missing credentials: send your Fundament key as 'Authorization: Bearer <key>'.");
        }
        String hash = KeyMaterial.hash(key);
        if (isToken(key)) {
            TokenVerifier.Verified verified = verifiedTokens.getIfPresent(hash);
            return verified != null && verified.expiresAtMillis() > clock.millis() ? verified.principal() : null;
        }
        java.util.concurrent.CompletableFuture<Optional<ApiKey>> cached = cache.getIfPresent(hash);
        return cached == null || !cached.isDone() || cached.isCompletedExceptionally() ? null : check(cached.join());
    }

    /** A JWT has three dot-separated parts; Fundament keys start {@code fk-} and have none. */
    private boolean isToken(String credential) {
        return tokens != null && !credential.startsWith(KeyMaterial.SCHEME) && credential.chars().filter(c -> c == '.').count() == 2;
    }

    private Principal verifyToken(String token, String hash) {
        TokenVerifier.Verified verified = verifiedTokens.getIfPresent(hash);
        if (verified == null || verified.expiresAtMillis() <= clock.millis()) {
            verified = tokens.verify(token);
            verifiedTokens.put(hash, verified);
        }
        return verified.principal();
    }

    /** Drops a key from the cache; the next request reads the store. */
    void evict(String hash) {
        cache.synchronous().invalidate(hash);
    }

    /** Reads a key from the store, on a worker thread; a store failure is not cached. */
    private Optional<ApiKey> lookup(String hash) {
        return store.findByHash(hash);
    }

    private Principal check(Optional<ApiKey> found) {
        if (found.isEmpty()) {
            throw unauthenticated("The API key is not valid. Check it, or ask your Fundament admin for a key.");
        }
        ApiKey key = found.get();
        Instant now = clock.instant();
        if (key.revokedAt() != null) {
            throw unauthenticated("The API key " + key.prefix() + "… was revoked"
                    + (key.replacedBy() != null ? " and replaced by a rotated key." : ".") + " Use a current key.");
        }
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            throw unauthenticated("The API key " + key.prefix() + "… expired at " + key.expiresAt()
                    + ". Ask for a new key.");
        }
        return key.principal();
    }

    static String credential(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        return null;
    }

    private static GatewayException unauthenticated(String message) {
        return new GatewayException(ErrorKind.UNAUTHENTICATED, message, null,
                java.util.Map.of("WWW-Authenticate", "Bearer realm=\"fundament\""));
    }
}
