package dev.fundament.usage;

import java.util.List;

/** Where limits set through the admin API are kept: the same database as keys and the ledger. */
public interface LimitStore {

    /** Inserts or replaces the row of {@code override.scope()} and {@code override.subject()}. */
    void put(LimitOverride override);

    /** @return whether a row was removed */
    boolean remove(String scope, String subject);

    /** @return every row, ordered by scope and subject */
    List<LimitOverride> all();
}
