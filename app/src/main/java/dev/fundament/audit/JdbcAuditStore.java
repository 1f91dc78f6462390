package dev.fundament.audit;

import dev.fundament.identity.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The audit trail in H2 or PostgreSQL ({@code V4__audit.sql}). Inserts skip records already stored
 * (a journal replay offers them again); reads stream a chain in order. There is deliberately no
 * method that changes a record.
 */
public final class JdbcAuditStore {

    private static final String COLUMNS = "instance, seq, id, created_at, kind, request_id, subject, team, key_prefix, route,"
            + " provider, upstream_model, config_hash, decisions, input_tokens, output_tokens, cost_micros, status, latency_ms,"
            + " request_sha256, response_sha256, action, target, details, payload_sha256, prev_hash, hash";

    private final DataSource dataSource;

    public JdbcAuditStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores records and their payloads in one transaction, skipping records already stored. */
    public void insert(List<AuditRecord> records) {
        write(records, true);
    }

    /** Stores records known to be new, without checking for them first (the journal's fast path). */
    public void insertNew(List<AuditRecord> records) {
        write(records, false);
    }

    private void write(List<AuditRecord> records, boolean skipStored) {
        if (records.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> stored = skipStored ? dev.fundament.storage.Sql.existingIds(c, "audit_records",
                        records.stream().map(AuditRecord::id).toList()) : new java.util.HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_records (" + COLUMNS + ") VALUES ("
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                     PreparedStatement payload = c.prepareStatement(
                             "INSERT INTO audit_payloads (record_id, subject, created_at, ciphertext) VALUES (?, ?, ?, ?)")) {
                    int rows = 0;
                    int payloads = 0;
                    for (AuditRecord r : records) {
                        if (!stored.add(r.id())) {
                            continue;
                        }
                        bind(ps, r);
                        ps.addBatch();
                        rows++;
                        if (r.payload() != null) {
                            payload.setString(1, r.id());
                            payload.setString(2, r.subject());
                            payload.setTimestamp(3, Timestamp.from(r.at()));
                            payload.setString(4, r.payload());
                            payload.addBatch();
                            payloads++;
                        }
                    }
                    if (rows > 0) {
                        ps.executeBatch();
                    }
                    if (payloads > 0) {
                        payload.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write " + records.size() + " audit records", e);
        }
    }


    private static void bind(PreparedStatement ps, AuditRecord r) throws SQLException {
        ps.setString(1, r.instance());
        ps.setLong(2, r.seq());
        ps.setString(3, r.id());
        ps.setTimestamp(4, Timestamp.from(r.at()));
        ps.setString(5, r.kind());
        ps.setString(6, r.requestId());
        ps.setString(7, r.subject());
        ps.setString(8, r.team());
        ps.setString(9, r.keyPrefix());
        ps.setString(10, r.route());
        ps.setString(11, r.provider());
        ps.setString(12, r.upstreamModel());
        ps.setString(13, r.configHash());
        ps.setString(14, r.decisions());
        ps.setInt(15, r.inputTokens());
        ps.setInt(16, r.outputTokens());
        ps.setLong(17, r.costMicros());
        ps.setInt(18, r.status());
        ps.setInt(19, r.latencyMs());
        ps.setString(20, r.requestSha256());
        ps.setString(21, r.responseSha256());
        ps.setString(22, r.action());
        ps.setString(23, r.target());
        ps.setString(24, r.details());
        ps.setString(25, r.payloadSha256());
        ps.setString(26, r.prevHash());
        ps.setString(27, r.hash());
    }

    private static AuditRecord read(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15), rs.getInt(16), rs.getLong(17),
                rs.getInt(18), rs.getInt(19), rs.getString(20), rs.getString(21), rs.getString(22), rs.getString(23),
                rs.getString(24), rs.getString(25), null, rs.getString(26), rs.getString(27));
    }

    /** @return the newest record of an instance's chain */
    public Optional<AuditRecord> last(String instance) {
        List<AuditRecord> out = query("SELECT " + COLUMNS + " FROM audit_records WHERE instance = ? AND seq ="
                + " (SELECT MAX(seq) FROM audit_records WHERE instance = ?)", instance, instance);
        return out.isEmpty() ? Optional.empty() : Optional.of(out.getFirst());
    }

    /** @return every instance that has a chain */
    public List<String> instances() {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT instance FROM audit_records ORDER BY instance");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list audit chains", e);
        }
    }

    /** Feeds an instance's records, in stored order of seq, to {@code each}, a page at a time. */
    public void chain(String instance, Consumer<AuditRecord> each) {
        long after = Long.MIN_VALUE;
        while (true) {
            List<AuditRecord> page = query("SELECT " + COLUMNS + " FROM audit_records WHERE instance = ? AND seq > ?"
                    + " ORDER BY seq FETCH FIRST 1000 ROWS ONLY", instance, after);
            page.forEach(each);
            if (page.size() < 1000) {
                return;
            }
            after = page.getLast().seq();
        }
    }

    /** @return the records about one data subject, oldest first */
    public List<AuditRecord> bySubject(String subject) {
        return query("SELECT " + COLUMNS + " FROM audit_records WHERE subject = ? ORDER BY created_at, instance, seq", subject);
    }

    /** @return the records of a time range, oldest first */
    public List<AuditRecord> between(Instant from, Instant to) {
        return query("SELECT " + COLUMNS + " FROM audit_records WHERE created_at >= ? AND created_at < ?"
                + " ORDER BY created_at, instance, seq", Timestamp.from(from), Timestamp.from(to));
    }

    public Optional<String> payload(String recordId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ciphertext FROM audit_payloads WHERE record_id = ?")) {
            ps.setString(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read an audit payload", e);
        }
    }

    /** Retention: removes payloads stored before {@code cutoff}; returns how many. */
    public int deletePayloadsBefore(Instant cutoff) {
        return update("DELETE FROM audit_payloads WHERE created_at < ?", Timestamp.from(cutoff));
    }

    /**
     * Retention of records: removes an instance's records created before {@code cutoff}, but only up to
     * its newest signed checkpoint at or before them, so verification can anchor what remains, and
     * never the chain's newest record: an emptied chain would look like a deleted one to the witness,
     * and the next record would start a new chain at 1.
     */
    public int deleteRecordsBefore(String instance, Instant cutoff) {
        long anchor = newestCheckpoint(instance, "AND created_at < ?", Timestamp.from(cutoff));
        if (anchor == 0) {
            return 0;
        }
        return update("DELETE FROM audit_records WHERE instance = ? AND seq <= ? AND created_at < ?"
                + " AND seq < (SELECT MAX(seq) FROM audit_records WHERE instance = ?)", instance, anchor,
                Timestamp.from(cutoff), instance);
    }

    /** @return the sequence number the newest checkpoint of an instance names, 0 without one */
    public long lastCheckpointSeq(String instance) {
        return newestCheckpoint(instance, "");
    }

    private long newestCheckpoint(String instance, String condition, Object... args) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM audit_checkpoints WHERE instance = ? " + condition)) {
            ps.setString(1, instance);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 2, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read audit checkpoints", e);
        }
    }

    public void insertCheckpoint(Checkpoint k) {
        update("INSERT INTO audit_checkpoints (instance, seq, hash, created_at, signature, public_key) VALUES (?, ?, ?, ?, ?, ?)",
                k.instance(), k.seq(), k.hash(), Timestamp.from(k.at()), k.signature(), k.publicKey());
    }

    public List<Checkpoint> checkpoints(String instance) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT instance, seq, hash, created_at, signature, public_key FROM"
                     + " audit_checkpoints WHERE instance = ? ORDER BY seq")) {
            ps.setString(1, instance);
            List<Checkpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Checkpoint(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read audit checkpoints", e);
        }
    }

    public Optional<String> subjectKey(String subject) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM audit_subject_keys WHERE subject = ?")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read a subject key", e);
        }
    }

    /** Stores a subject's key unless one exists; returns the key in force. */
    public String putSubjectKeyIfAbsent(String subject, String wrapped) {
        try {
            update("INSERT INTO audit_subject_keys (subject, wrapped_key, created_at) VALUES (?, ?, ?)", subject, wrapped,
                    Timestamp.from(Instant.now()));
            return wrapped;
        } catch (StoreException e) {
            return subjectKey(subject).orElseThrow(() -> e);
        }
    }

    /** Crypto-shredding: forgets a subject's key; returns whether there was one. */
    public boolean deleteSubjectKey(String subject) {
        return update("DELETE FROM audit_subject_keys WHERE subject = ?", subject) > 0;
    }

    private List<AuditRecord> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to the audit trail", e);
        }
    }
}
