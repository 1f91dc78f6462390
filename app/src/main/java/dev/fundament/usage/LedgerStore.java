package dev.fundament.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * Durable ledger storage. Blocking (JDBC); the ledger journal's store thread and report requests on
 * worker threads call it. {@link JdbcLedgerStore} serves H2 and PostgreSQL; both pass
 * {@code LedgerStoreContract}.
 */
public interface LedgerStore {

    /**
     * Stores the entries in one transaction; when this returns they are committed. Entries whose id is
     * stored already are skipped, so replaying the journal after a crash writes each entry once.
     */
    void insert(List<LedgerEntry> entries);

    /** Stores entries known to be new (never offered before), without checking for them first. */
    default void insertNew(List<LedgerEntry> entries) {
        insert(entries);
    }

    /**
     * Keeps requests that started (entries with status {@link LedgerEntry#OPEN}) until they settle,
     * skipping ids kept already.
     */
    void insertOpen(String instance, List<LedgerEntry> opened);

    /** Forgets open requests that settled. */
    void deleteOpen(List<String> ids);

    /**
     * @return an instance's open requests that never settled (the process was killed while they ran),
     *         oldest first; open requests whose entry is stored are forgotten on the way
     */
    List<LedgerEntry> unsettled(String instance);

    /** Totals grouped by one dimension, for days {@code from} to {@code to} inclusive (UTC). */
    List<UsageRow> report(Dimension groupBy, LocalDate from, LocalDate to, String team);

    /**
     * @param scope {@code team}, {@code user}, {@code key} (by key id) or {@code key_prefix}
     * @return the summed cost in micro-units of a scope since {@code from} (a budget period's start)
     */
    long spentSince(String scope, String id, java.time.Instant from);

    /** @return how many entries carry this request id (tests and crash recovery) */
    int countByRequestId(String requestId);

    /** @return the entries that carry this request id */
    List<LedgerEntry> findByRequestId(String requestId);

    /** What a report groups by. */
    enum Dimension {
        TEAM("team"), USER("subject"), KEY("key_prefix"), MODEL("model"), TAG("use_case"), DAY("usage_day");

        final String column;

        Dimension(String column) {
            this.column = column;
        }

        /** @return the dimension for a query-parameter name, or {@code null} */
        public static Dimension of(String name) {
            return switch (name) {
                case "team" -> TEAM;
                case "user" -> USER;
                case "key" -> KEY;
                case "model" -> MODEL;
                case "tag", "use_case" -> TAG;
                case "day" -> DAY;
                default -> null;
            };
        }
    }

    /** One report line. {@code group} is {@code null} for entries without a value (no team, no tag). */
    record UsageRow(String group, long requests, long inputTokens, long outputTokens, long cachedTokens, long costMicros,
                    long errors) {
    }
}
