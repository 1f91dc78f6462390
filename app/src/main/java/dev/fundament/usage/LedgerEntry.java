package dev.fundament.usage;

import java.time.Instant;

/**
 * One request in the ledger. Holds no prompt or answer text and never a key, only its prefix.
 *
 * @param costMicros cost in millionths of the currency unit
 * @param status     the HTTP status the caller received (499 when the caller went away)
 */
public record LedgerEntry(String id, String requestId, Instant at, String subject, String team, String keyId,
                          String keyPrefix, String useCase, String operation, String model, String provider,
                          String upstreamModel, int inputTokens, int outputTokens, int cachedTokens, boolean estimated,
                          long costMicros, String currency, int latencyMs, int status, String errorCode, boolean stream,
                          boolean cancelled, boolean cacheHit, String configHash) {
}
