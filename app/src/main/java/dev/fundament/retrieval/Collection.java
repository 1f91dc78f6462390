package dev.fundament.retrieval;

import dev.fundament.config.CollectionSpec;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import java.util.Set;

/**
 * A collection as it runs: its settings and where they come from ({@code config}: fundament.yaml,
 * read-only through the API; {@code api}: created through the admin API, stored in the database).
 * {@code secrets} holds its sources' resolved passwords and is never shown.
 */
public record Collection(String name, CollectionSpec spec, String origin, java.util.Map<String, String> secrets) {

    public Collection {
        secrets = java.util.Map.copyOf(secrets);
    }

    /** @return the resolved password of the source at {@code index}, or null */
    public String password(int index) {
        return secrets.get("collections." + name + ".sources[" + index + "].password");
    }

    @Override
    public String toString() {
        return "Collection[" + name + ", " + origin + "]";
    }

    /** @return the collection's default readers */
    public Set<String> readers() {
        return Set.copyOf(spec.readers());
    }

    /**
     * Who may search and ask a collection: admins, members of the owner team, and anyone holding one
     * of its default reader entries. Documents with narrower readers are filtered further per chunk.
     */
    public boolean searchableBy(Principal principal, Set<String> callerReaders) {
        if (principal.has(Role.ADMIN) || spec.owner().equals(principal.team())) {
            return true;
        }
        for (String r : spec.readers()) {
            if (callerReaders.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** Who may change it and push documents: admins, the owner team's team admins and service accounts. */
    public boolean manageableBy(Principal principal) {
        return principal.has(Role.ADMIN) || spec.owner().equals(principal.team())
                && (principal.has(Role.TEAM_ADMIN) || principal.service());
    }
}
