package dev.fundament.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Company SSO against a local identity provider: tokens signed by a test key published as a JWKS,
 * with issuer, audience, expiry, algorithm and key rotation checked, and claims mapped to user, team
 * and roles.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SsoTest {

    private static RsaJsonWebKey first;
    private static RsaJsonWebKey second;
    private static RsaJsonWebKey unpublished;
    private static RsaJsonWebKey ghost;

    @Inject
    dev.fundament.usage.Ledger ledger;

    @BeforeAll
    static void keys() throws Exception {
        first = key("first");
        second = key("second");
        unpublished = key("first");
        ghost = key("ghost");
        publish(first);
    }

    private static RsaJsonWebKey key(String id) throws Exception {
        RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
        k.setKeyId(id);
        k.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return k;
    }

    private static void publish(RsaJsonWebKey key) {
        Upstreams.JWKS.set(new JsonWebKeySet(key).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    static JwtClaims claims(String user, String team, List<String> roles) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(Upstreams.ISSUER);
        c.setAudience("fundament");
        c.setSubject(UUID.randomUUID().toString());
        c.setClaim("preferred_username", user);
        c.setStringListClaim("groups", "/staff", "/" + team);
        c.setClaim("realm_access", Map.of("roles", roles));
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(10);
        return c;
    }

    static String sign(JwtClaims claims, RsaJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static ValidatableResponse chat(String token, String requestId) {
        return given().header("Authorization", "Bearer " + token).header("x-request-id", requestId)
                .contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().log().ifValidationFails();
    }

    @Test
    void aValidTokenCallsModelsAsItsUserAndTeam() throws Exception {
        String id = "sso-" + UUID.randomUUID();
        chat(sign(claims("maria.santos", "sales", List.of("offline_access")), first), id).statusCode(200);
        var entry = ledger.store().findByRequestId(id).getFirst();
        assertThat(entry.subject()).isEqualTo("maria.santos");
        assertThat(entry.team()).isEqualTo("sales");
        assertThat(entry.keyPrefix()).isNull();
    }

    @Test
    void expiredForeignOrMisaddressedTokensAre401() throws Exception {
        JwtClaims expired = claims("maria", "sales", List.of());
        expired.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 300));
        chat(sign(expired, first), "x").statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .body("error.message", containsString("expired"));
        JwtClaims foreign = claims("maria", "sales", List.of());
        foreign.setIssuer("https://evil.example/realms/company");
        chat(sign(foreign, first), "x").statusCode(401).body("error.message", containsString("issued by another"));
        JwtClaims otherAudience = claims("maria", "sales", List.of());
        otherAudience.setAudience("payroll");
        chat(sign(otherAudience, first), "x").statusCode(401).body("error.message", containsString("audience"));
        chat(sign(claims("maria", "sales", List.of()), unpublished), "x").statusCode(401)
                .body("error.message", containsString("signature"));
        chat(sign(claims("maria", "sales", List.of()), ghost), "x").statusCode(401)
                .body("error.message", containsString("does not publish"));

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims("maria", "sales", List.of("fundament-admins")).toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(new byte[32]));
        hmac.setDoKeyValidation(false);
        chat(hmac.getCompactSerialization(), "x").statusCode(401);
    }

    /**
     * The user claim becomes the ledger's and the audit trail's subject. It was checked for length and
     * control characters only, so a lone UTF-16 surrogate (which no column or log stores faithfully)
     * passed; it now gets the same check as every subject, as a 401.
     */
    @Test
    void anUnstorableUserClaimIs401() throws Exception {
        JwtClaims lone = claims("maria-LONE", "sales", List.of());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(lone.toJson().replace("-LONE", "\\ud800")); // the JSON escape of a lone high surrogate
        jws.setKey(first.getPrivateKey());
        jws.setKeyIdHeaderValue(first.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        chat(jws.getCompactSerialization(), "x").statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .body("error.message", containsString("lone UTF-16 surrogate"));
        chat(sign(claims("m".repeat(201), "sales", List.of()), first), "x").statusCode(401)
                .body("error.message", containsString("at most 200"));
        chat(sign(claims("tab\there", "sales", List.of()), first), "x").statusCode(401)
                .body("error.message", containsString("control character"));
        chat(sign(claims("maria.santos", "sales", List.of()), first), "sso-ok-" + UUID.randomUUID()).statusCode(200);
    }

    @Test
    void rolesComeFromTheMappingAndTeamAdminsStayInTheirTeam() throws Exception {
        String lead = sign(claims("sam.lead", "sales", List.of("sales-leads")), first);
        given().header("Authorization", "Bearer " + lead).get("/admin/v1/keys").then().statusCode(200);
        given().header("Authorization", "Bearer " + lead).get("/admin/v1/keys?team=hr").then().statusCode(403);
        String user = sign(claims("una.user", "sales", List.of("something-else")), first);
        given().header("Authorization", "Bearer " + user).get("/admin/v1/keys").then().statusCode(403);
    }

    @Test
    void aKeyAddedByRotationIsFetchedWithoutRestart() throws Exception {
        chat(sign(claims("rita", "sales", List.of()), first), "rot-1").statusCode(200);
        Upstreams.JWKS.set(new JsonWebKeySet(first, second).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        chat(sign(claims("rita", "sales", List.of()), second), "rot-2").statusCode(200);
        chat(sign(claims("rita.again", "sales", List.of()), first), "rot-3").statusCode(200);
    }
}
