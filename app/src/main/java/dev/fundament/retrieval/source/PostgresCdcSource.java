package dev.fundament.retrieval.source;

import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
import dev.fundament.retrieval.ingest.SourceDocument;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Tables of a company PostgreSQL database followed as their changes commit: Debezium's PostgreSQL
 * connector, embedded, reading the server's logical decoding ({@code pgoutput}, so no server plugin
 * is needed; the server must run with {@code wal_level=logical} and the user needs the REPLICATION
 * attribute and to own the tables, or be superuser, for the publication).
 *
 * <p>On the first start the replication slot and a publication for the {@code tables} are created and
 * a snapshot of the existing rows is reported ({@code snapshot.mode=initial}); then inserts and
 * updates become upserts and deletes become deletes as they commit, and a TRUNCATE deletes the
 * table's documents. The slot and publication are named by {@link #slotName}; they stay when the
 * source stops, so the server keeps the changes made while Fundament is down.
 *
 * <p>Exactly once in effect: the engine hands over batches of changes ({@code notifying} a change
 * consumer); each change is reported to the pipeline and only then marked processed, and the batch
 * is marked finished, which commits the offsets of the processed changes into the source's cursor
 * ({@link CursorOffsetStore}) before the engine acknowledges the position to PostgreSQL. A restart
 * resumes from the saved cursor: nothing committed is lost, nothing reported is repeated. A crash
 * between a report and the cursor's save repeats at most that batch, which the pipeline recognises as
 * unchanged content.
 *
 * <p>Document ids: the row's {@code id_field} value for the first table; for every further table
 * {@code schema.table/id}, so equal keys of different tables stay apart. {@code id_field} should be
 * the primary key: a delete carries only the key columns unless the table has
 * {@code REPLICA IDENTITY FULL}. Dates and times are read as ISO 8601, numerics as exact decimals.
 *
 * <p>Debezium calls the change consumer and commits offsets on its own threads; the context is
 * called from them one call at a time, while {@link #run} waits on the caller's thread, watching
 * {@link SourceContext#stopping()}.
 */
final class PostgresCdcSource implements Source {

    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final SourceSpec spec;
    private final String password;
    private final String slotName;
    private final List<String> tables;
    private final String location;
    private final RowDocument documents;

    /**
     * @param password the resolved password, or {@code null}
     * @param slotName the replication slot and publication name, from {@link #slotName}
     */
    PostgresCdcSource(SourceSpec spec, String password, String slotName) {
        if (spec.url() == null || !spec.url().startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("source '" + spec.name() + "': url must be jdbc:postgresql://host:port/database, was "
                    + (spec.url() == null ? null : JdbcSource.withoutSecrets(spec.url())));
        }
        if (spec.tables().isEmpty()) {
            throw new IllegalArgumentException("source '" + spec.name() + "': list the tables to follow, as schema.table");
        }
        if (!SLOT.matcher(slotName).matches()) {
            throw new IllegalArgumentException("a replication slot name has 1 to 63 of a-z, 0-9 and _, was '" + slotName + "'");
        }
        this.spec = spec;
        this.password = password;
        this.slotName = slotName;
        this.tables = spec.tables().stream().map(t -> t.contains(".") ? t : "public." + t).toList();
        this.location = JdbcSource.withoutSecrets(spec.url());
        this.documents = new RowDocument(spec, Set.of());
    }

    /**
     * The replication slot and publication name of a source: {@code fundament_}, the collection and
     * source names in the characters PostgreSQL allows, and a hash of both names, so names that
     * differ only in replaced characters or beyond the 63-character limit still get their own slot.
     */
    static String slotName(String collection, String source) {
        String readable = (collection + "_" + source).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String hash;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((collection + "/" + source).getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String prefix = "fundament_";
        int room = 63 - prefix.length() - 1 - hash.length();
        return prefix + (readable.length() > room ? readable.substring(0, room) : readable) + "_" + hash;
    }

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        SourceContext serial = new OneAtATime(context);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        try (CursorOffsetStore.Binding binding = CursorOffsetStore.bind(serial)) {
            // Debezium finds its engine and connector classes with the thread's context class loader; a
            // thread that last served other code (a pool thread) may carry a class loader that sees
            // them twice, so the loader of this class, which has Debezium, is set for the build.
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(PostgresCdcSource.class.getClassLoader());
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
            try {
                engine = build(serial, binding, ended);
            } finally {
                current.setContextClassLoader(previous);
            }
            ClassLoader loader = PostgresCdcSource.class.getClassLoader();
            Thread thread = Thread.ofPlatform().name("cdc-" + slotName).daemon().start(() -> {
                Thread.currentThread().setContextClassLoader(loader);
                try {
                    engine.run();
                } catch (RuntimeException e) {
                    ended.completeExceptionally(failure("the engine did not run", e));
                }
            });
            boolean asked = false;
            try {
                while (!(asked = context.stopping()) && !ended.isDone()) {
                    try {
                        ended.get(250, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException | ExecutionException e) {
                        // checked below
                    }
                }
            } finally {
                stop(engine, ended);
                thread.join(STOP_TIMEOUT);
            }
            if (asked) {
                return;
            }
            try {
                ended.get();
            } catch (ExecutionException e) {
                throw (IOException) e.getCause();
            }
            throw new IOException("change capture from " + location + " (slot " + slotName + ") stopped by itself");
        }
    }

    private DebeziumEngine<RecordChangeEvent<SourceRecord>> build(SourceContext serial, CursorOffsetStore.Binding binding,
                                                                  CompletableFuture<Void> ended) {
        return DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties(binding.id()))
                .using(OffsetCommitPolicy.always())
                .using((success, message, error) -> {
                    if (success) {
                        ended.complete(null);
                    } else {
                        ended.completeExceptionally(failure(message, error));
                    }
                })
                .notifying((records, committer) -> {
                    for (RecordChangeEvent<SourceRecord> event : records) {
                        report(serial, event.record());
                        committer.markProcessed(event);
                    }
                    committer.markBatchFinished();
                })
                .build();
    }

    /**
     * Stops the engine, which commits the offsets of the changes already reported. The engine refuses
     * while its task is starting (connecting, creating the slot), so that is retried until the task
     * runs; it also refuses once it is stopping or stopped, which ends the completion future.
     */
    private static void stop(DebeziumEngine<?> engine, CompletableFuture<Void> ended) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException notNow) {
                if (ended.isDone() || System.nanoTime() > deadline) {
                    return;
                }
                try {
                    ended.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // still starting, or ended: the loop decides
                }
            }
        }
    }

    private IOException failure(String message, Throwable error) {
        StringBuilder reason = new StringBuilder(message == null ? "failed" : message);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !reason.toString().contains(t.getMessage())) {
                reason.append(": ").append(t.getMessage());
            }
        }
        String text = reason.toString();
        boolean leaks = password != null && !password.isEmpty() && text.contains(password);
        if (leaks) {
            text = text.replace(password, "****");
        }
        IOException failure = new IOException("change capture from " + location + " (slot " + slotName + "): " + text);
        if (!leaks && error != null) {
            failure.initCause(error);
        }
        return failure;
    }

    private Properties properties(String binding) {
        URI uri = URI.create(spec.url().substring("jdbc:".length()));
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("source '" + spec.name() + "': change capture needs one host and a database, "
                    + "jdbc:postgresql://host:port/database, was " + location);
        }
        Properties p = new Properties();
        p.setProperty("name", slotName);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", CursorOffsetStore.class.getName());
        p.setProperty(CursorOffsetStore.BINDING, binding);
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", String.valueOf(uri.getPort() > 0 ? uri.getPort() : 5432));
        p.setProperty("database.dbname", uri.getPath().substring(1));
        if (spec.username() != null) {
            p.setProperty("database.user", spec.username());
        }
        if (password != null) {
            p.setProperty("database.password", password);
        }
        String sslmode = query(uri, "sslmode");
        if (sslmode != null) {
            p.setProperty("database.sslmode", sslmode);
        }
        p.setProperty("topic.prefix", slotName);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slotName);
        p.setProperty("publication.name", slotName);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", String.join(",", tables.stream().map(t -> t.replace(".", "\\.")).toList()));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "connect");
        p.setProperty("hstore.handling.mode", "json");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("skipped.operations", "none");
        // a change now and then even when the followed tables are idle, so the slot's position moves
        // on and the server can recycle the WAL of the database's other tables
        p.setProperty("heartbeat.interval.ms", "60000");
        return p;
    }

    private static String query(URI uri, String name) {
        if (uri.getQuery() == null) {
            return null;
        }
        for (String pair : uri.getQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** One change: heartbeats and other records without an operation are passed over. */
    private void report(SourceContext context, SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return;
        }
        Struct source = value.getStruct("source");
        String table = source.getString("schema") + "." + source.getString("table");
        switch (value.getString("op")) {
            case "r", "c", "u" -> {
                Map<String, Object> row = row(value.getStruct("after"));
                String rowId = documents.id(row);
                if (rowId == null) {
                    context.failed(table + "/?", location + "#" + table, "a row of " + table + " has no value in id_field '"
                            + spec.idField() + "'");
                    return;
                }
                String id = documentId(table, rowId);
                Object lsn = source.get("lsn");
                Long ts = source.getInt64("ts_ms");
                SourceDocument document = documents.document(id, location + "#" + table + "/" + rowId, Map.of("table", table), row,
                        lsn == null ? null : lsn.toString(), ts == null ? null : Instant.ofEpochMilli(ts));
                context.upsert(document);
            }
            case "d" -> {
                String rowId = deletedId(record, value);
                if (rowId == null) {
                    context.failed(table + "/?", location + "#" + table, "a delete from " + table + " without '" + spec.idField()
                            + "': make it the primary key or set REPLICA IDENTITY FULL");
                    return;
                }
                context.delete(documentId(table, rowId));
            }
            case "t" -> truncate(context, table);
            default -> {
            }
        }
    }

    private String deletedId(SourceRecord record, Struct value) {
        String id = documents.id(row(value.getStruct("before")));
        if (id == null && record.key() instanceof Struct key) {
            id = documents.id(row(key));
        }
        return id;
    }

    private void truncate(SourceContext context, String table) {
        List<String> ids = new ArrayList<>();
        for (String id : context.known().keySet()) {
            if (table.equals(tableOf(id))) {
                ids.add(id);
            }
        }
        ids.forEach(context::delete);
    }

    private String documentId(String table, String rowId) {
        return table.equals(tables.getFirst()) ? rowId : table + "/" + rowId;
    }

    /** The table a document id belongs to: a further table by its prefix, else the first. */
    private String tableOf(String documentId) {
        for (String table : tables.subList(1, tables.size())) {
            if (documentId.startsWith(table + "/")) {
                return table;
            }
        }
        return tables.getFirst();
    }

    /** A row's columns as plain Java values; dates and times from Connect's logical types, in UTC as stored. */
    private static Map<String, Object> row(Struct struct) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (struct == null) {
            return row;
        }
        for (Field field : struct.schema().fields()) {
            row.put(field.name(), plain(struct.get(field), field.schema()));
        }
        return row;
    }

    private static Object plain(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date && schema.name() != null) {
            Instant instant = date.toInstant();
            return switch (schema.name()) {
                case Timestamp.LOGICAL_NAME -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
                case Date.LOGICAL_NAME -> LocalDate.ofInstant(instant, ZoneOffset.UTC);
                case Time.LOGICAL_NAME -> LocalTime.ofInstant(instant, ZoneOffset.UTC);
                default -> instant;
            };
        }
        return value instanceof Struct ? null : value;
    }

    /**
     * The context, called by one thread at a time: Debezium reports on its polling thread and may
     * commit the last offsets on another while stopping. {@link #stopping} is not serialised, so the
     * waiting run never queues behind a slow report.
     */
    private record OneAtATime(SourceContext delegate) implements SourceContext {

        @Override
        public synchronized void upsert(SourceDocument document) {
            delegate.upsert(document);
        }

        @Override
        public synchronized void delete(String id) {
            delegate.delete(id);
        }

        @Override
        public synchronized void failed(String id, String uri, String reason) {
            delegate.failed(id, uri, reason);
        }

        @Override
        public synchronized Map<String, String> known() {
            return delegate.known();
        }

        @Override
        public synchronized String cursor() {
            return delegate.cursor();
        }

        @Override
        public synchronized void saveCursor(String cursor) {
            delegate.saveCursor(cursor);
        }

        @Override
        public synchronized void expect(long documents) {
            delegate.expect(documents);
        }

        @Override
        public boolean stopping() {
            return delegate.stopping();
        }
    }
}
