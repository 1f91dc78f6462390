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

    /** @return {@code public}, the caller's user and team, and each of its groups */
    public static Set<String> of(Principal principal) {
        Set<String> out = new LinkedHashSet<>();
        out.add(PUBLIC);
        if (principal.subject() != null) {
            out.add("user:" + principal.subject());
        }
        if (principal.team() != null) {
            out.add("team:" + principal.team());
        }
        principal.groups().forEach(g -> out.add("group:" + g));
        return out;
    }
}
