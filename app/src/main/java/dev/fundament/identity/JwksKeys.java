package dev.fundament.identity;

import java.io.IOException;
import java.security.Key;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The identity provider's signing keys, from its JWKS URL. A token whose key id is not in the cached
 * set makes the set be fetched again at once (the provider rotated its keys). So that made-up key ids
 * cannot turn Fundament into a load generator against the provider, each unknown key id causes at most
 * one fetch a minute, and all of them together at most {@value #MAX_REFRESHES} fetches in ten seconds.
 */
final class JwksKeys implements VerificationKeyResolver {

    static final int MAX_REFRESHES = 5;
    private static final long PER_KID_MILLIS = 60_000;
    private static final long WINDOW_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(JwksKeys.class);

    private final String url;
    private final HttpsJwks jwks;
    private final Map<String, Long> triedKids = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
            return size() > 1_000;
        }
    };
    private final ArrayDeque<Long> recentRefreshes = new ArrayDeque<>();

    JwksKeys(String url) {
        this.url = url;
        this.jwks = new HttpsJwks(url);
        this.jwks.setDefaultCacheDuration(300);
        this.jwks.setRefreshReprieveThreshold(0); // refresh() throttles on its own terms
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
        try {
            Key key = find(jws.getKeyIdHeaderValue());
            if (key == null && refresh(jws.getKeyIdHeaderValue())) {
                key = find(jws.getKeyIdHeaderValue());
            }
            if (key != null) {
                return key;
            }
        } catch (JoseException | IOException e) {
            LOG.warnf("The identity provider's keys cannot be fetched from %s: %s", url, e.toString());
            throw new UnresolvableKeyException("the identity provider's keys cannot be fetched", e);
        }
        throw new UnresolvableKeyException("no published key with id " + jws.getKeyIdHeaderValue());
    }

    private Key find(String kid) throws JoseException, IOException {
        List<JsonWebKey> keys = jwks.getJsonWebKeys();
        for (JsonWebKey k : keys) {
            boolean matches = kid == null ? keys.size() == 1 : kid.equals(k.getKeyId());
            if (matches && k instanceof PublicJsonWebKey pk) {
                return pk.getPublicKey();
            }
        }
        return null;
    }

    private synchronized boolean refresh(String kid) throws JoseException, IOException {
        long now = System.currentTimeMillis();
        String key = String.valueOf(kid);
        Long tried = triedKids.get(key);
        if (tried != null && now - tried < PER_KID_MILLIS) {
            return false;
        }
        while (!recentRefreshes.isEmpty() && now - recentRefreshes.peekFirst() > WINDOW_MILLIS) {
            recentRefreshes.pollFirst();
        }
        if (recentRefreshes.size() >= MAX_REFRESHES) {
            return false;
        }
        triedKids.put(key, now);
        recentRefreshes.addLast(now);
        jwks.refresh();
        return true;
    }
}
