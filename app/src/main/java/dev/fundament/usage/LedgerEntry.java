package dev.fundament.usage;

import java.time.Instant;

/**
 * One request in the ledger. Holds no prompt or answer text and never a key, only its prefix.
 *
 * @param costMicros cost in millionths of the currency unit
 * @param status     the HTTP status the caller received (499 when the caller went away, or when the
 *                   request was interrupted by a crash); {@link #OPEN} for the entry journaled at a
 *                   request's start, which the entry with the same id settles
 */
public record LedgerEntry(String id, String requestId, Instant at, String subject, String team, String keyId,
                          String keyPrefix, String useCase, String operation, String model, String provider,
                          String upstreamModel, int inputTokens, int outputTokens, int cachedTokens, boolean estimated,
                          long costMicros, String currency, int latencyMs, int status, String errorCode, boolean stream,
                          boolean cancelled, boolean cacheHit, String configHash) {

    /** The status of an open entry: the request started and has not settled (no HTTP status yet). */
    public static final int OPEN = 0;

    /** @return whether this is the entry journaled at a request's start rather than its settlement */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOpen() {
        return status == OPEN;
    }
}
