package dev.fundament.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every chain in the store: each record's hash against its content (a change shows as
 * {@code MODIFIED}), each link to the record before ({@code INSERTED_OR_REORDERED}), the sequence
 * for gaps ({@code DELETED}), and every checkpoint's Ed25519 signature against the trusted public key
 * and its hash against the record it names ({@code BAD_CHECKPOINT}; a rewritten chain cannot be
 * signed again without the key). Reports the first problem of each chain.
 */
public final class AuditVerifier {

    /** What went wrong, and where. */
    public record Problem(String instance, long seq, String recordId, String kind, String message) {
    }

    /** One chain's result. */
    public record ChainReport(String instance, long records, int checkpoints, long lastSeq, Problem problem) {
    }

    public record Report(List<ChainReport> chains) {
        public boolean ok() {
            return chains.stream().allMatch(c -> c.problem() == null);
        }
    }

    private final JdbcAuditStore store;
    private final String trustedPublicKey;

    AuditVerifier(JdbcAuditStore store, String trustedPublicKey) {
        this.store = store;
        this.trustedPublicKey = trustedPublicKey;
    }

    public Report verify() {
        List<ChainReport> chains = new ArrayList<>();
        for (String instance : store.instances()) {
            chains.add(verify(instance));
        }
        return new Report(chains);
    }

    private ChainReport verify(String instance) {
        List<Checkpoint> checkpoints = store.checkpoints(instance);
        Map<Long, Checkpoint> bySeq = new HashMap<>();
        for (Checkpoint k : checkpoints) {
            bySeq.put(k.seq(), k);
        }
        Problem[] first = new Problem[1];
        long[] state = {0, 0}; // last seq, count
        String[] lastHash = {null};
        Map<Long, String> hashes = new HashMap<>();
        store.chain(instance, r -> {
            state[1]++;
            if (first[0] != null) {
                return;
            }
            if (lastHash[0] == null) {
                if (r.seq() == 1) {
                    if (!AuditChain.GENESIS.equals(r.prevHash())) {
                        first[0] = new Problem(instance, r.seq(), r.id(), "INSERTED_OR_REORDERED",
                                "record 1 does not start the chain");
                    }
                } else {
                    Checkpoint anchor = bySeq.get(r.seq() - 1);
                    if (anchor == null || !anchor.hash().equals(r.prevHash())) {
                        first[0] = new Problem(instance, r.seq(), r.id(), "DELETED", "records 1 to " + (r.seq() - 1)
                                + " are missing and no signed checkpoint vouches for where record " + r.seq() + " begins");
                    }
                }
            } else if (r.seq() != state[0] + 1) {
                first[0] = new Problem(instance, state[0] + 1, null, "DELETED", "records " + (state[0] + 1) + " to "
                        + (r.seq() - 1) + " are missing");
            } else if (!lastHash[0].equals(r.prevHash())) {
                first[0] = new Problem(instance, r.seq(), r.id(), "INSERTED_OR_REORDERED", "record " + r.seq()
                        + " does not link to record " + state[0] + " (inserted, replaced or moved)");
            }
            if (first[0] == null && !AuditChain.hash(r.prevHash(), r).equals(r.hash())) {
                first[0] = new Problem(instance, r.seq(), r.id(), "MODIFIED", "record " + r.seq()
                        + " does not match its hash: its content was changed");
            }
            state[0] = r.seq();
            lastHash[0] = r.hash();
            if (bySeq.containsKey(r.seq())) {
                hashes.put(r.seq(), r.hash());
            }
        });
        if (first[0] == null) {
            for (Checkpoint k : checkpoints) {
                if (!trustedPublicKey.equals(k.publicKey()) || !AuditKeys.verify(k.publicKey(), k.signed(), k.signature())) {
                    first[0] = new Problem(instance, k.seq(), null, "BAD_CHECKPOINT", "the checkpoint at record " + k.seq()
                            + " is not signed by this trail's key");
                    break;
                }
                if (k.seq() > state[0]) {
                    first[0] = new Problem(instance, state[0] + 1, null, "DELETED", "a signed checkpoint names record "
                            + k.seq() + " but the chain ends at " + state[0]);
                    break;
                }
                String actual = hashes.get(k.seq());
                if (actual != null && !actual.equals(k.hash())) {
                    first[0] = new Problem(instance, k.seq(), null, "MODIFIED", "record " + k.seq() + " differs from the"
                            + " signed checkpoint: the chain was rewritten from there or before");
                    break;
                }
            }
        }
        return new ChainReport(instance, state[1], checkpoints.size(), state[0], first[0]);
    }
}
