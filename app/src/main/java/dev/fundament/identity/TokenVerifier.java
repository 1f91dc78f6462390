package dev.fundament.identity;

import dev.fundament.config.IdentitySpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Company SSO: checks a JWT from the OpenID Connect provider — signature against the provider's
 * published keys (JWKS), issuer, audience, expiry with the configured clock skew — and maps its claims
 * to a {@link Principal}. Only asymmetric signatures are accepted (RS, PS, ES families), never
 * {@code none} or shared-secret ones. When a token names a key id the cached key set does not have
 * (the provider rotated its keys), the key set is fetched again. Blocking (it may fetch the key set):
 * call from a worker thread.
 */
final class TokenVerifier {

    private final IdentitySpec.SsoSpec sso;
    private final Set<String> teams;
    private final JwtConsumer consumer;

    TokenVerifier(IdentitySpec.SsoSpec sso, Set<String> teams) {
        this.sso = sso;
        this.teams = Set.copyOf(teams);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) sso.clockSkew().toSeconds())
                .setExpectedIssuer(sso.issuer())
                .setExpectedAudience(sso.audience())
                .setVerificationKeyResolver(new JwksKeys(sso.jwksUrl()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512)
                .build();
    }

    /** A verified token: who it stands for, and until when. */
    record Verified(Principal principal, long expiresAtMillis) {
    }

    Verified verify(String token) {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new GatewayException(ErrorKind.UNAUTHENTICATED, "The SSO token is not valid: " + reason(e)
                    + ". Sign in again to get a fresh token.", null, Map.of("WWW-Authenticate", "Bearer realm=\"fundament\""));
        }
        try {
            String user = text(claims.getClaimValue(sso.userClaim()));
            if (user == null) {
                throw new GatewayException(ErrorKind.UNAUTHENTICATED, "The SSO token has no '" + sso.userClaim()
                        + "' claim naming the user (identity.sso.user_claim).");
            }
            try {
                // the user becomes the ledger's and the audit trail's subject: the same bound as every
                // subject (length, control characters, lone surrogates), but a bad token is a 401, not a 400
                dev.fundament.error.Bounds.check(user, dev.fundament.error.Bounds.SUBJECT, sso.userClaim());
            } catch (GatewayException e) {
                throw new GatewayException(ErrorKind.UNAUTHENTICATED, "The SSO token's user claim is unusable: "
                        + e.getMessage(), null, Map.of("WWW-Authenticate", "Bearer realm=\"fundament\""));
            }
            Principal principal = new Principal(user, false, team(claims), roles(claims), Set.of(), null, null,
                    Map.of("auth", "sso", "groups", String.join(",", groups(claims))));
            return new Verified(principal, claims.getExpirationTime().getValueInMillis());
        } catch (MalformedClaimException e) {
            throw new GatewayException(ErrorKind.UNAUTHENTICATED, "The SSO token has a malformed claim.");
        }
    }

    private String team(JwtClaims claims) {
        Object value = claims.getClaimValue(sso.teamClaim());
        List<String> candidates = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> candidates.add(String.valueOf(v)));
        } else if (value != null) {
            candidates.add(String.valueOf(value));
        }
        for (String c : candidates) {
            String id = c.startsWith("/") ? c.substring(1) : c;
            if (teams.contains(id)) {
                return id;
            }
        }
        return null;
    }

    /** The provider's groups or roles named by the roles claim, for group readers of company data. */
    private List<String> groups(JwtClaims claims) {
        return rolesClaim(claims).stream().map(g -> g.startsWith("/") ? g.substring(1) : g).toList();
    }

    /** The values of the roles claim (Keycloak, Entra ID and Okta list groups and roles there). */
    private List<String> rolesClaim(JwtClaims claims) {
        Object value = path(claims.getClaimsMap(), sso.rolesClaim());
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    private Set<Role> roles(JwtClaims claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String group : rolesClaim(claims)) {
            String mapped = sso.roleMapping().get(group);
            Role role = mapped == null ? null : Role.fromWire(mapped);
            if (role != null) {
                roles.add(role);
            }
        }
        if (roles.isEmpty()) {
            roles.add(Role.fromWire(sso.defaultRole()));
        }
        return roles;
    }

    private static Object path(Map<String, Object> claims, String dotted) {
        Object current = claims;
        for (String part : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "it has expired";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "it was issued by another identity provider (identity.sso.issuer)";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "it is not meant for this audience (identity.sso.audience)";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
                || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "its signature cannot be verified with the identity provider's keys";
        }
        String details = e.getMessage() == null ? "" : e.getMessage();
        if (details.contains("no published key")) {
            return "it is signed with a key the identity provider does not publish";
        }
        if (details.contains("keys cannot be fetched")) {
            return "the identity provider's keys cannot be fetched right now (identity.sso.jwks_url)";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "it is not valid yet";
        }
        return "it is malformed or uses a disallowed algorithm";
    }
}
