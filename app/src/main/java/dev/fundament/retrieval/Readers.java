package dev.fundament.retrieval;

import dev.fundament.identity.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The access entries a caller holds, matched against a chunk's readers inside every query, so a
 * chunk the caller may not read never scores, never appears and is never counted.
 */
public final class Readers {

    /** Everyone may read a chunk with this entry. */
    public static final String PUBLIC = "public";

    private Readers() {
    }

    /**
     * @return {@code public}, the caller's team, its user (for SSO users and keys an admin issued: a
     *         team admin could name anyone as a key's subject) and each of its groups (from the SSO
     *         token, or set on a key by an admin)
     */
    public static Set<String> of(Principal principal) {
        Set<String> out = new LinkedHashSet<>();
        out.add(PUBLIC);
        if (principal.subject() != null && vouched(principal)) {
            out.add("user:" + principal.subject());
        }
        if (principal.team() != null) {
            out.add("team:" + principal.team());
        }
        principal.groups().forEach(g -> out.add("group:" + g));
        return out;
    }

    /**
     * Whether the principal's subject is a person's identity someone vouched for: an SSO user (no key;
     * the token's {@code auth: sso} is set by the token check, never read from a key), or a key whose
     * issuer an admin was ({@code issued_by} is written by the key service alone and refused in every
     * request). A team admin's key once named "ceo@corp.com" with {@code auth: sso} in its metadata read
     * the CEO's documents.
     */
    static boolean vouched(Principal principal) {
        if (principal.keyId() == null) {
            return "sso".equals(principal.metadata().get("auth"));
        }
        return "admin".equals(principal.metadata().get(dev.fundament.identity.KeyService.ISSUED_BY));
    }
}
