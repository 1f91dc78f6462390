package dev.fundament.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The chain rule. A record's canonical form lists every chained field in a fixed order, separated by
 * the unit separator, with {@code null} written as a NUL character, so no two different records share
 * a form. Its hash is SHA-256 over the previous record's hash, a newline and the canonical form; the
 * first record of a chain follows {@link #GENESIS}.
 */
public final class AuditChain {

    /** The "previous hash" of an instance's first record. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(String prevHash, AuditRecord r) {
        return sha256(prevHash + "\n" + canonical(r));
    }

    static String canonical(AuditRecord r) {
        StringBuilder b = new StringBuilder(512);
        Object[] fields = {r.instance(), r.seq(), r.id(), r.at() == null ? null : r.at().toString(), r.kind(), r.requestId(),
            r.subject(), r.team(), r.keyPrefix(), r.route(), r.provider(), r.upstreamModel(), r.configHash(), r.decisions(),
            r.inputTokens(), r.outputTokens(), r.costMicros(), r.status(), r.latencyMs(), r.requestSha256(),
            r.responseSha256(), r.action(), r.target(), r.details(), r.payloadSha256()};
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append('\u001f');
            }
            b.append(fields[i] == null ? "\u0000" : fields[i].toString());
        }
        return b.toString();
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
