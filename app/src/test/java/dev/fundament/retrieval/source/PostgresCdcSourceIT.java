package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change capture from a real PostgreSQL with {@code wal_level=logical}: the throwaway cluster of
 * {@code .ci/pg-logical.sh start} on 127.0.0.1:55432 (trust authentication, superuser postgres). Each
 * run works in a database of its own, dropped with its replication slots at the end.
 *
 * <p>Without the cluster the tests are skipped, unless {@code FUNDAMENT_REQUIRE_SERVICES=true} (set by
 * {@code .ci/run}): then they fail.
 */
class PostgresCdcSourceIT {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 55432;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static String database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(HOST, PORT), 1000);
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("PostgreSQL with wal_level=logical is required on " + HOST + ":" + PORT
                        + " (.ci/pg-logical.sh start)", e);
            }
            Assumptions.abort("no PostgreSQL on " + HOST + ":" + PORT + " (.ci/pg-logical.sh start)");
        }
        database = "cdc_it_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        admin("CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (database == null) {
            return;
        }
        admin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + database + "'");
        admin("DROP DATABASE " + database + " WITH (FORCE)");
    }

    @Test
    void snapshotThenInsertsUpdatesDeletesAndTruncatesAsTheyCommit() throws Exception {
        sql("CREATE TABLE employees (id INT PRIMARY KEY, name TEXT, bio TEXT, readers TEXT, updated_at TIMESTAMP)");
        sql("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)");
        sql("""
                INSERT INTO employees VALUES
                  (1, 'Ann Example', 'Runs payroll.', 'team:hr,group:works-council', '2026-03-01 09:00:00'),
                  (2, 'Bo Sample', 'Plans the canteen menu.', NULL, '2026-03-01 09:05:00')""");
        sql("INSERT INTO notes VALUES (1, 'Canteen closed on Friday.')");
        SourceSpec spec = spec(List.of("public.employees", "public.notes"), List.of("name", "bio", "body"));
        RecordingContext context = new RecordingContext();
        Running running = start(new PostgresCdcSource(spec, "unused", slot("live")), context);

        context.await(DEADLINE, "the snapshot", () -> context.log().size() >= 3);
        assertThat(context.log()).as("existing rows of both tables, the second table's ids prefixed")
                .containsExactlyInAnyOrder("upsert:1", "upsert:2", "upsert:public.notes/1");
        SourceDocument ann = context.upserts().get("1");
        assertThat(ann.content()).isEqualTo(new Content.Text("name: Ann Example\n\nbio: Runs payroll.", "text/plain"));
        assertThat(ann.title()).isEqualTo("Ann Example");
        assertThat(ann.readers()).containsExactlyInAnyOrder("team:hr", "group:works-council");
        assertThat(ann.uri()).isEqualTo("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database + "#public.employees/1");
        assertThat(ann.metadata()).containsEntry("table", "public.employees").containsEntry("id", "1")
                .containsEntry("updated_at", "2026-03-01T09:00").doesNotContainKey("readers");
        assertThat(ann.version()).as("the log position").isNotBlank();
        assertThat(context.upserts().get("public.notes/1").content())
                .isEqualTo(new Content.Text("body: Canteen closed on Friday.", "text/plain"));

        sql("INSERT INTO employees VALUES (3, 'Cy Person', 'Keeps the servers up.', 'public', now())");
        context.await(DEADLINE, "the insert", () -> context.log().contains("upsert:3"));
        sql("UPDATE employees SET bio = 'Runs payroll and pensions.' WHERE id = 1");
        context.await(DEADLINE, "the update", () -> context.log().size() >= 5);
        sql("DELETE FROM employees WHERE id = 2");
        context.await(DEADLINE, "the delete", () -> context.log().contains("delete:2"));
        sql("TRUNCATE notes");
        context.await(DEADLINE, "the truncate", () -> context.log().contains("delete:public.notes/1"));
        running.stop(context);

        assertThat(context.log().subList(3, context.log().size()))
                .containsExactly("upsert:3", "upsert:1", "delete:2", "delete:public.notes/1");
        assertThat(context.upserts().get("1").content())
                .isEqualTo(new Content.Text("name: Ann Example\n\nbio: Runs payroll and pensions.", "text/plain"));
        assertThat(context.upserts().get("3").readers()).containsExactly("public");
        assertThat(context.cursor()).as("offsets saved as JSON").startsWith("{\"offsets\":{").contains("lsn");
    }

    @Test
    void restartDeliversExactlyTheChangesMadeWhileStopped() throws Exception {
        sql("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT)");
        sql("INSERT INTO orders VALUES (1, 'ten chairs'), (2, 'four desks')");
        SourceSpec spec = spec(List.of("public.orders"), List.of("note"));
        String slot = slot("restart");

        RecordingContext first = new RecordingContext();
        Running running = start(new PostgresCdcSource(spec, null, slot), first);
        first.await(DEADLINE, "the snapshot", () -> first.log().size() >= 2);
        sql("INSERT INTO orders VALUES (3, 'a whiteboard')");
        first.await(DEADLINE, "the insert", () -> first.log().contains("upsert:3"));
        running.stop(first);
        assertThat(first.log()).containsExactlyInAnyOrder("upsert:1", "upsert:2", "upsert:3");

        sql("INSERT INTO orders VALUES (4, 'two lamps')");
        sql("UPDATE orders SET note = 'twelve chairs' WHERE id = 1");
        sql("DELETE FROM orders WHERE id = 2");

        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        running = start(new PostgresCdcSource(spec, null, slot), second);
        // a last change after the restart: once it arrives, everything committed before it has too
        sql("INSERT INTO orders VALUES (99, 'end of test')");
        second.await(DEADLINE, "the changes made while stopped", () -> second.log().contains("upsert:99"));
        running.stop(second);

        assertThat(second.log()).as("none lost, none repeated, no second snapshot")
                .containsExactly("upsert:4", "upsert:1", "delete:2", "upsert:99");
        assertThat(second.upserts().get("1").content()).isEqualTo(new Content.Text("note: twelve chairs", "text/plain"));
    }

    @Test
    void stopWhileStartingEndsTheRunAndLeavesNoEngineThreads() throws Exception {
        sql("CREATE TABLE invoices (id INT PRIMARY KEY, note TEXT)");
        String slot = slot("early_stop");
        RecordingContext context = new RecordingContext();
        Running running = start(new PostgresCdcSource(spec(List.of("public.invoices"), List.of("note")), null, slot), context);
        running.stop(context);

        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(slot)).toList())
                .as("engine threads of the stopped source").isEmpty();
    }

    /** A source running on its own thread, as the pipeline runs a streaming source. */
    private record Running(CompletableFuture<Void> run) {

        /** Asks the source to stop and waits for run() to return; fails if it threw. */
        void stop(RecordingContext context) throws Exception {
            context.stop();
            try {
                run.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("the source failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static Running start(PostgresCdcSource source, RecordingContext context) {
        return new Running(CompletableFuture.runAsync(() -> {
            try {
                source.run(context);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }));
    }

    private static SourceSpec spec(List<String> tables, List<String> textFields) {
        return new SourceSpec("erp", SourceSpec.SourceType.POSTGRES_CDC, null, null, null,
                "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, "postgres", null, null, null, tables, "id", "name",
                textFields, "readers", null, null, null, null, null);
    }

    private static String slot(String test) {
        return "fundament_it_" + test + "_" + database.substring("cdc_it_".length());
    }

    private static void sql(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, "postgres", null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", "postgres", null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
