package dev.fundament.audit;

import java.time.Instant;

/**
 * One audit record. {@code seq}, {@code prevHash} and {@code hash} place it in its instance's chain:
 * {@code hash = SHA-256(prevHash + canonical form of every other field except the payload)}. The
 * payload (the prompt and answer, AES-GCM encrypted under the data subject's key, base64) is kept
 * apart and only its SHA-256 is chained, so retention and erasure can remove it without breaking the
 * chain.
 *
 * @param kind      {@code request} for an AI request, {@code admin} for an admin action
 * @param decisions the guardrail decisions as JSON (positions, never values), or {@code null}
 * @param action    for admin records: what was done ({@code key.create}, {@code limit.set}, ...)
 * @param target    for admin records: what it was done to (a key id, a limit subject)
 * @param details   for admin records: further facts as JSON
 */
public record AuditRecord(String instance, long seq, String id, Instant at, String kind, String requestId, String subject,
                          String team, String keyPrefix, String route, String provider, String upstreamModel,
                          String configHash, String decisions, int inputTokens, int outputTokens, long costMicros,
                          int status, int latencyMs, String requestSha256, String responseSha256, String action,
                          String target, String details, String payloadSha256, String payload, String prevHash,
                          String hash) {

    /** @return this record placed in a chain */
    AuditRecord chained(String instance, long seq, String prevHash, String hash) {
        return new AuditRecord(instance, seq, id, at, kind, requestId, subject, team, keyPrefix, route, provider,
                upstreamModel, configHash, decisions, inputTokens, outputTokens, costMicros, status, latencyMs,
                requestSha256, responseSha256, action, target, details, payloadSha256, payload, prevHash, hash);
    }

    /** @return this record without its payload, as exports and the store's chain table hold it */
    public AuditRecord withoutPayload() {
        return new AuditRecord(instance, seq, id, at, kind, requestId, subject, team, keyPrefix, route, provider,
                upstreamModel, configHash, decisions, inputTokens, outputTokens, costMicros, status, latencyMs,
                requestSha256, responseSha256, action, target, details, payloadSha256, null, prevHash, hash);
    }
}
