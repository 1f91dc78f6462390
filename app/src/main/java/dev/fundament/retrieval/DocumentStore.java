package dev.fundament.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The store of record for company data: documents (indexed or failed, with source, version,
 * timestamps and readers), their chunks and vectors, the change log every instance's index follows,
 * each source's cursor and lease, and collections created through the API. Plain JDBC that runs
 * unchanged on the embedded H2 file and on PostgreSQL.
 *
 * <p>Every write of a document and its chunks is one transaction that also appends to the change
 * log, so an index that follows the log never sees a document without its chunks.
 */
public final class DocumentStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final DataSource dataSource;

    public DocumentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A document's record. {@code status} is {@code indexed} or {@code failed}. */
    public record StoredDocument(String collection, String id, String source, String uri, String title, String version,
                                 String contentSha256, Instant modifiedAt, Instant ingestedAt, int revision,
                                 Set<String> readers, Map<String, String> metadata, String status, String reason,
                                 int chunks, String pii) {
        public StoredDocument {
            readers = Set.copyOf(readers);
            metadata = Map.copyOf(metadata);
        }
    }

    /** One chunk as stored. */
    public record StoredChunk(int ordinal, String heading, String text, float[] vector) {
    }

    /** One entry of the change log; {@code document} is null when a whole collection was dropped. */
    public record Change(long seq, String collection, String document, Instant at) {
    }

    /** A source's durable state. */
    public record SourceState(String collection, String source, String cursor, String status, String error,
                              Instant lastRunAt, Instant lastSuccessAt) {
    }

    /** Counts for a collection's status. */
    public record Counts(long indexed, long failed, long chunks) {
    }

    /**
     * Stores a document with its chunks, replacing what was stored for it, and logs the change. The
     * revision grows when the content hash differs from the stored one.
     */
    public void put(StoredDocument d, List<StoredChunk> chunks) {
        try {
            write(d, chunks);
        } catch (RetrievalStoreException e) {
            if (!(e.getCause() instanceof java.sql.SQLIntegrityConstraintViolationException)
                    && !(e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState()))) {
                throw e;
            }
            write(d, chunks); // another writer inserted the same document between our delete and insert: ours is newer
        }
    }

    private void write(StoredDocument d, List<StoredChunk> chunks) {
        inTransaction(c -> {
            int revision = revision(c, d.collection(), d.id(), d.contentSha256());
            deleteRow(c, "DELETE FROM rag_chunks WHERE collection = ? AND document = ?", d.collection(), d.id());
            deleteRow(c, "DELETE FROM rag_documents WHERE collection = ? AND id = ?", d.collection(), d.id());
            insertDocument(c, d, revision, chunks.size());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO rag_chunks (collection, document, ordinal, heading, text, vector) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (StoredChunk chunk : chunks) {
                    ps.setString(1, d.collection());
                    ps.setString(2, d.id());
                    ps.setInt(3, chunk.ordinal());
                    ps.setString(4, cut(chunk.heading(), 20000));
                    ps.setString(5, chunk.text());
                    ps.setString(6, chunk.vector() == null ? null : encode(chunk.vector()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            logChange(c, d.collection(), d.id());
            return null;
        });
    }

    /** Notes a new version token for unchanged content; nothing is re-indexed. */
    public void touch(String collection, String id, String version, Instant modifiedAt) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE rag_documents SET version = ?, modified_at = ? WHERE collection = ? AND id = ?")) {
                ps.setString(1, version);
                ps.setTimestamp(2, modifiedAt == null ? null : Timestamp.from(modifiedAt));
                ps.setString(3, collection);
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Removes a document and its chunks; @return whether it was stored */
    public boolean delete(String collection, String id) {
        return inTransaction(c -> {
            deleteRow(c, "DELETE FROM rag_chunks WHERE collection = ? AND document = ?", collection, id);
            boolean existed = deleteRow(c, "DELETE FROM rag_documents WHERE collection = ? AND id = ?", collection, id) > 0;
            if (existed) {
                logChange(c, collection, id);
            }
            return existed;
        });
    }

    /** Removes everything of a collection: documents, chunks, source state, its stored settings. */
    public void drop(String collection) {
        inTransaction(c -> {
            for (String table : List.of("rag_chunks", "rag_documents", "rag_sources")) {
                deleteRow(c, "DELETE FROM " + table + " WHERE collection = ?", collection);
            }
            deleteRow(c, "DELETE FROM rag_collections WHERE name = ?", collection);
            logChange(c, collection, null);
            return null;
        });
    }

    public Optional<StoredDocument> document(String collection, String id) {
        List<StoredDocument> found = documents("WHERE collection = ? AND id = ?", List.of(collection, id), 1, 0);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** @param status {@code indexed}, {@code failed} or null for both */
    public List<StoredDocument> documents(String collection, String status, int limit, int offset) {
        return status == null
                ? documents("WHERE collection = ? ORDER BY id", List.of(collection), limit, offset)
                : documents("WHERE collection = ? AND status = ? ORDER BY id", List.of(collection, status), limit, offset);
    }

    public List<StoredChunk> chunks(String collection, String document) {
        return query("SELECT ordinal, heading, text, vector FROM rag_chunks WHERE collection = ? AND document = ? ORDER BY ordinal",
                List.of(collection, document), rs -> new StoredChunk(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getString(4) == null ? null : decode(rs.getString(4))));
    }

    /** @return each document of a source with its version token (empty string when it has none) */
    public Map<String, String> versions(String collection, String source) {
        Map<String, String> out = new HashMap<>();
        query("SELECT id, version FROM rag_documents WHERE collection = ? AND source = ?", List.of(collection, source), rs -> {
            out.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            return null;
        });
        return out;
    }

    public Counts counts(String collection) {
        List<Counts> out = query("SELECT COALESCE(SUM(CASE WHEN status = 'indexed' THEN 1 ELSE 0 END), 0), "
                        + "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0), COALESCE(SUM(chunks), 0) "
                        + "FROM rag_documents WHERE collection = ?", List.of(collection),
                rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        return out.get(0);
    }

    /** @return up to {@code limit} changes after {@code seq}, in order */
    public List<Change> changesAfter(long seq, int limit) {
        return query("SELECT seq, collection, document, at FROM rag_changes WHERE seq > ? ORDER BY seq",
                List.of(seq), rs -> new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
                limit);
    }

    // ---- sources

    public Optional<SourceState> source(String collection, String source) {
        List<SourceState> out = query("SELECT cursor_value, status, error, last_run_at, last_success_at FROM rag_sources "
                        + "WHERE collection = ? AND source = ?", List.of(collection, source),
                rs -> new SourceState(collection, source, rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))));
        return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
    }

    /** @return the settings hash the source's last complete run was made with, or null */
    public String settingsHash(String collection, String source) {
        List<String> out = query("SELECT settings_sha256 FROM rag_sources WHERE collection = ? AND source = ?",
                List.of(collection, source), rs -> rs.getString(1) == null ? "" : rs.getString(1));
        return out.isEmpty() || out.get(0).isEmpty() ? null : out.get(0);
    }

    public void saveSettingsHash(String collection, String source, String sha256) {
        updateSource(collection, source, "UPDATE rag_sources SET settings_sha256 = ? WHERE collection = ? AND source = ?", sha256, collection, source);
    }

    public void saveCursor(String collection, String source, String cursor) {
        updateSource(collection, source, "UPDATE rag_sources SET cursor_value = ? WHERE collection = ? AND source = ?", cursor, collection, source);
    }

    /** Records how a run ended: {@code ok} or {@code failing} with the error. */
    public void recordRun(String collection, String source, String error, Instant at) {
        if (error == null) {
            updateSource(collection, source, "UPDATE rag_sources SET status = 'ok', error = NULL, last_run_at = ?, last_success_at = ? "
                    + "WHERE collection = ? AND source = ?", Timestamp.from(at), Timestamp.from(at), collection, source);
        } else {
            updateSource(collection, source, "UPDATE rag_sources SET status = 'failing', error = ?, last_run_at = ? WHERE collection = ? AND source = ?",
                    error.length() > 2000 ? error.substring(0, 2000) : error, Timestamp.from(at), collection, source);
        }
    }

    /**
     * Takes or extends the lease to run a source: one instance at a time runs it.
     *
     * @return whether {@code owner} holds the lease now
     */
    public boolean lease(String collection, String source, String owner, Duration length, Instant now) {
        return updateSource(collection, source, "UPDATE rag_sources SET lease_owner = ?, lease_until = ? WHERE collection = ? AND source = ? "
                        + "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)",
                owner, Timestamp.from(now.plus(length)), collection, source, owner, Timestamp.from(now)) > 0;
    }

    public void release(String collection, String source, String owner) {
        update("UPDATE rag_sources SET lease_owner = NULL, lease_until = NULL WHERE collection = ? AND source = ? "
                + "AND lease_owner = ?", collection, source, owner);
    }

    /** Updates a source's row, creating it first when the update found none (a source's first run). */
    private int updateSource(String collection, String source, String sql, Object... args) {
        int updated = update(sql, args);
        if (updated > 0) {
            return updated;
        }
        ensureSource(collection, source);
        return update(sql, args);
    }

    private void ensureSource(String collection, String source) {
        if (source(collection, source).isPresent()) {
            return;
        }
        try {
            update("INSERT INTO rag_sources (collection, source, status) VALUES (?, ?, 'new')", collection, source);
        } catch (RetrievalStoreException e) {
            if (source(collection, source).isEmpty()) {
                throw e;
            } // another instance inserted it first
        }
    }

    // ---- collections created through the API

    /** @return stored collection settings (JSON) by name */
    public Map<String, String> collections() {
        Map<String, String> out = new LinkedHashMap<>();
        query("SELECT name, spec FROM rag_collections ORDER BY name", List.of(), rs -> {
            out.put(rs.getString(1), rs.getString(2));
            return null;
        });
        return out;
    }

    /** @return false when a collection of that name is stored already */
    public boolean createCollection(String name, String specJson, String by, Instant at) {
        if (collections().containsKey(name)) {
            return false;
        }
        update("INSERT INTO rag_collections (name, spec, created_at, created_by) VALUES (?, ?, ?, ?)",
                name, specJson, Timestamp.from(at), by);
        return true;
    }

    // ---- plumbing

    private static int revision(Connection c, String collection, String id, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT revision, content_sha256 FROM rag_documents WHERE collection = ? AND id = ?")) {
            ps.setString(1, collection);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 1;
                }
                return sha256 != null && sha256.equals(rs.getString(2)) ? rs.getInt(1) : rs.getInt(1) + 1;
            }
        }
    }

    private static void insertDocument(Connection c, StoredDocument d, int revision, int chunks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rag_documents (collection, id, source, uri, title, version, "
                + "content_sha256, modified_at, ingested_at, revision, readers, metadata, status, reason, chunks, pii) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.collection());
            ps.setString(2, d.id());
            ps.setString(3, d.source());
            ps.setString(4, cut(d.uri(), 2000));
            ps.setString(5, cut(d.title(), 1000));
            ps.setString(6, cut(d.version(), 200));
            ps.setString(7, d.contentSha256());
            ps.setTimestamp(8, d.modifiedAt() == null ? null : Timestamp.from(d.modifiedAt()));
            ps.setTimestamp(9, Timestamp.from(d.ingestedAt()));
            ps.setInt(10, revision);
            ps.setString(11, json(d.readers().stream().sorted().toList()));
            ps.setString(12, json(d.metadata()));
            ps.setString(13, d.status());
            ps.setString(14, cut(d.reason(), 2000));
            ps.setInt(15, chunks);
            ps.setString(16, cut(d.pii(), 1000));
            ps.executeUpdate();
        }
    }

    private static void logChange(Connection c, String collection, String document) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rag_changes (collection, document, at) VALUES (?, ?, ?)")) {
            ps.setString(1, collection);
            ps.setString(2, document);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    private List<StoredDocument> documents(String where, List<Object> args, int limit, int offset) {
        String sql = "SELECT collection, id, source, uri, title, version, content_sha256, modified_at, ingested_at, revision, "
                + "readers, metadata, status, reason, chunks, pii FROM rag_documents " + where
                + " LIMIT " + limit + " OFFSET " + offset;
        return query(sql, args, rs -> new StoredDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                rs.getInt(10), new LinkedHashSet<>(parse(rs.getString(11), LIST)), parse(rs.getString(12), MAP),
                rs.getString(13), rs.getString(14), rs.getInt(15), rs.getString(16)));
    }

    private static int deleteRow(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, List.of(args));
            return ps.executeUpdate();
        }
    }

    private int update(String sql, Object... args) {
        return inTransaction(c -> deleteRow(c, sql, args));
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new RetrievalStoreException("the document store failed: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, List<Object> args, Row<T> row) {
        return query(sql, args, row, Integer.MAX_VALUE);
    }

    private <T> List<T> query(String sql, List<Object> args, Row<T> row, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            if (limit < Integer.MAX_VALUE) {
                ps.setMaxRows(limit);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    T t = row.read(rs);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RetrievalStoreException("the document store failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }

    static String encode(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** The store could not be read or written. */
    public static final class RetrievalStoreException extends RuntimeException {
        RetrievalStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
