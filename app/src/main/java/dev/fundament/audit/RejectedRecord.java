package dev.fundament.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The stand-in for an audit record the database refused for good (a value longer than its column):
 * it takes the refused record's place in the chain, so the chain stays continuous and says what
 * happened instead of losing the record or stopping every record after it.
 *
 * <p>The stand-in keeps the refused record's id, instance, sequence number, time, kind, its hashes of
 * request and response, numbers and status, and — decisively — its {@code prevHash} and {@code hash},
 * so the next record and every checkpoint still link to it. It drops every value a caller could have
 * made too long (request id, subject, team, key prefix, route, provider, model, decisions, target,
 * details) and carries {@code action = record_rejected} and {@code details = {"reason": ..., "seal":
 * ...}}. Its content no longer matches {@code hash}, so instead of the chain rule it is vouched for by
 * the seal: the trail's Ed25519 signature over the stand-in's canonical form (details without the seal)
 * and the two hashes. Without the signing key nobody can turn a record into a stand-in to hide it.
 * The refused record itself is in {@code <data>/audit-journal/rejected.jsonl}.
 */
final class RejectedRecord {

    static final String ACTION = "record_rejected";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedRecord() {
    }

    /** @return the sealed stand-in for {@code refused}, or {@code null} when {@code refused} is a stand-in itself */
    static AuditRecord standIn(AuditRecord refused, String reason, AuditKeys keys) {
        if (ACTION.equals(refused.action())) {
            return null;
        }
        AuditRecord unsealed = of(refused, unsealedDetails(reason));
        String seal = keys.sign(sealed(unsealed));
        ObjectNode details = JSON.createObjectNode().put("reason", reason).put("seal", seal);
        return of(refused, details.toString());
    }

    private static AuditRecord of(AuditRecord r, String details) {
        // Only what the trail makes itself, and only while it fits: the stand-in must never be refused too.
        String kind = "admin".equals(r.kind()) ? "admin" : "request";
        return new AuditRecord(r.instance(), r.seq(), r.id(), r.at(), kind, null, null, null, null, null, null, null,
                hash(r.configHash()), null, r.inputTokens(), r.outputTokens(), r.costMicros(), r.status(), r.latencyMs(),
                hash(r.requestSha256()), hash(r.responseSha256()), ACTION, null, details, null, null, r.prevHash(), r.hash());
    }

    /** @return a hex hash as the schema holds it (64 characters), else nothing */
    private static String hash(String value) {
        return value != null && value.length() <= 64 ? value : null;
    }

    /** @return whether {@code r} is a stand-in whose seal the trusted key made */
    static boolean sealedBy(String publicKey, AuditRecord r) {
        if (!ACTION.equals(r.action()) || r.details() == null) {
            return false;
        }
        try {
            JsonNode details = JSON.readTree(r.details());
            if (!details.path("reason").isTextual() || !details.path("seal").isTextual()) {
                return false;
            }
            AuditRecord unsealed = new AuditRecord(r.instance(), r.seq(), r.id(), r.at(), r.kind(), r.requestId(), r.subject(),
                    r.team(), r.keyPrefix(), r.route(), r.provider(), r.upstreamModel(), r.configHash(), r.decisions(),
                    r.inputTokens(), r.outputTokens(), r.costMicros(), r.status(), r.latencyMs(), r.requestSha256(),
                    r.responseSha256(), r.action(), r.target(), unsealedDetails(details.get("reason").asText()),
                    r.payloadSha256(), null, r.prevHash(), r.hash());
            return AuditKeys.verify(publicKey, sealed(unsealed), details.get("seal").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static String unsealedDetails(String reason) {
        try {
            return JSON.writeValueAsString(JSON.createObjectNode().put("reason", reason));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sealed(AuditRecord unsealed) {
        return (ACTION + "\n" + unsealed.prevHash() + "\n" + unsealed.hash() + "\n" + AuditChain.canonical(unsealed))
                .getBytes(StandardCharsets.UTF_8);
    }
}
