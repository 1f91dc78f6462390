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
 *
 * <p>The chain is also held against the checkpoints {@linkplain Witness witnessed} outside the database:
 * a chain that ends before a witnessed record, or is gone altogether, was shortened ({@code DELETED});
 * a record whose hash differs from the witnessed one was rewritten ({@code MODIFIED}), even when every
 * checkpoint in the database was deleted or re-made with it. A record the database refused is in the
 * chain as a sealed {@link RejectedRecord}: it verifies by its seal, and the report counts it.
 */
public final class AuditVerifier {

    /** What went wrong, and where. */
    public record Problem(String instance, long seq, String recordId, String kind, String message) {
    }

    /**
     * One chain's result.
     *
     * @param rejected  records the database refused, kept in the chain as sealed stand-ins
     * @param witnessed the newest record a checkpoint outside the database vouches for (0: none)
     */
    public record ChainReport(String instance, long records, int checkpoints, long lastSeq, Problem problem, long rejected,
                              long witnessed) {
    }

    public record Report(List<ChainReport> chains) {
        public boolean ok() {
            return chains.stream().allMatch(c -> c.problem() == null);
        }
    }

    private final JdbcAuditStore store;
    private final String trustedPublicKey;
    private final List<Checkpoint> witnessed;

    AuditVerifier(JdbcAuditStore store, String trustedPublicKey, List<Checkpoint> witnessed) {
        this.store = store;
        this.trustedPublicKey = trustedPublicKey;
        this.witnessed = witnessed;
    }

    public Report verify() {
        java.util.SortedSet<String> instances = new java.util.TreeSet<>(store.instances());
        witnessed.forEach(k -> instances.add(k.instance())); // a chain emptied in the database is still known here
        List<ChainReport> chains = new ArrayList<>();
        for (String instance : instances) {
            chains.add(verify(instance));
        }
        return new Report(chains);
    }

    private ChainReport verify(String instance) {
        List<Checkpoint> witnesses = witnessed.stream().filter(k -> instance.equals(k.instance())).toList();
        List<Checkpoint> checkpoints = store.checkpoints(instance);
        Map<Long, Checkpoint> bySeq = new HashMap<>();
        for (Checkpoint k : checkpoints) {
            bySeq.put(k.seq(), k);
        }
        Problem[] first = new Problem[1];
        long[] state = {0, 0, 0}; // last seq, count, stand-ins for refused records
        String[] lastHash = {null};
        Map<Long, String> hashes = new HashMap<>();
        java.util.Set<Long> witnessedSeqs = new java.util.HashSet<>();
        witnesses.forEach(k -> witnessedSeqs.add(k.seq()));
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
                    // Retention removed what came before: a checkpoint vouches for where the rest begins
                    // (or, when retention kept only the newest record, for that record itself).
                    Checkpoint anchor = bySeq.get(r.seq() - 1);
                    Checkpoint itself = bySeq.get(r.seq());
                    boolean anchored = anchor != null && anchor.hash().equals(r.prevHash())
                            || itself != null && itself.hash().equals(r.hash());
                    if (!anchored) {
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
            boolean standIn = RejectedRecord.ACTION.equals(r.action());
            if (first[0] == null && !AuditChain.hash(r.prevHash(), r).equals(r.hash())
                    && !(standIn && RejectedRecord.sealedBy(trustedPublicKey, r))) {
                first[0] = new Problem(instance, r.seq(), r.id(), "MODIFIED", "record " + r.seq()
                        + " does not match its hash: its content was changed");
            }
            if (standIn) {
                state[2]++;
            }
            state[0] = r.seq();
            lastHash[0] = r.hash();
            if (bySeq.containsKey(r.seq()) || witnessedSeqs.contains(r.seq())) {
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
        if (first[0] == null) {
            first[0] = againstWitnesses(instance, witnesses, state[0], hashes);
        }
        long witnessedSeq = witnesses.stream().mapToLong(Checkpoint::seq).max().orElse(0);
        return new ChainReport(instance, state[1], checkpoints.size(), state[0], first[0], state[2], witnessedSeq);
    }

    /** The chain against each checkpoint witnessed outside the database; the first problem, or {@code null}. */
    private Problem againstWitnesses(String instance, List<Checkpoint> witnesses, long lastSeq, Map<Long, String> hashes) {
        for (Checkpoint k : witnesses) {
            if (!trustedPublicKey.equals(k.publicKey()) || !AuditKeys.verify(k.publicKey(), k.signed(), k.signature())) {
                return new Problem(instance, k.seq(), null, "BAD_CHECKPOINT", "the checkpoint at record " + k.seq()
                        + " in " + Witness.FILE + " is not signed by this trail's key");
            }
            if (k.seq() > lastSeq) {
                return new Problem(instance, lastSeq + 1, null, "DELETED", (lastSeq == 0 ? "the chain is empty"
                        : "the chain ends at record " + lastSeq) + ", but a checkpoint witnessed in " + Witness.FILE
                        + " at " + k.at() + " names record " + k.seq() + ": records " + (lastSeq + 1) + " to " + k.seq()
                        + " were removed");
            }
            String actual = hashes.get(k.seq());
            if (actual != null && !actual.equals(k.hash())) {
                return new Problem(instance, k.seq(), null, "MODIFIED", "record " + k.seq() + " differs from the checkpoint"
                        + " witnessed in " + Witness.FILE + " at " + k.at() + ": the chain was rewritten from there or before");
            }
        }
        return null;
    }
}
