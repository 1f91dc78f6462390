package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC connector against an in-memory H2 database: full, incremental and deleting runs. */
class JdbcSourceTest {

    private String url;
    private Connection db;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        db = DriverManager.getConnection(url, "hr", "secret-pw");
        sql("""
                CREATE TABLE employees (id INT PRIMARY KEY, name VARCHAR(100), bio VARCHAR(1000), dept VARCHAR(20),
                  readers VARCHAR(200), updated_at TIMESTAMP, deleted BOOLEAN DEFAULT FALSE)""");
        sql("CREATE TABLE deleted_rows (id INT, deleted_at TIMESTAMP)");
        employee(1, "Ann Example", "Runs payroll.", "team:hr, group:works-council", "2026-03-01T09:00:00");
        employee(2, "Bo Sample", "Plans the canteen menu.", "", "2026-03-01T09:05:00");
        employee(3, "Cy Person", "Keeps the servers up.", "public", "2026-03-01T09:10:00");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        sql("SHUTDOWN");
        db.close();
    }

    @Test
    void firstRunReportsEveryRowAsADocument() throws Exception {
        RecordingContext context = new RecordingContext();
        new JdbcSource(incremental(), "secret-pw").run(context);

        assertThat(context.log()).containsExactly("upsert:1", "upsert:2", "upsert:3");
        SourceDocument ann = context.upserts().get("1");
        assertThat(ann.title()).isEqualTo("Ann Example");
        assertThat(ann.content()).isEqualTo(new Content.Text("name: Ann Example\n\nbio: Runs payroll.", "text/plain"));
        assertThat(ann.readers()).containsExactlyInAnyOrder("team:hr", "group:works-council");
        assertThat(ann.metadata()).containsEntry("table", "employees").containsEntry("id", "1").containsEntry("DEPT", "hr")
                .doesNotContainKey("READERS");
        assertThat(ann.uri()).isEqualTo(url + "#employees/1");
        assertThat(ann.version()).isEqualTo("2026-03-01T09:00");
        assertThat(context.upserts().get("2").readers()).as("an empty readers column leaves the collection default").isEmpty();
        assertThat(context.upserts().get("3").readers()).containsExactly("public");
        assertThat(context.cursor()).isEqualTo("{\"rows\":\"2026-03-01T09:10\"}");
    }

    @Test
    void incrementalRunReportsOnlyRowsChangedSinceTheSavedCursor() throws Exception {
        RecordingContext first = new RecordingContext();
        new JdbcSource(incremental(), "secret-pw").run(first);

        sql("UPDATE employees SET bio = 'Runs payroll and pensions.', updated_at = TIMESTAMP '2026-03-02 08:00:00' WHERE id = 1");
        employee(4, "Di Newcomer", "Joined the legal team.", "team:legal", "2026-03-02T08:30:00");
        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(incremental(), "secret-pw").run(second);

        assertThat(second.log()).containsExactly("upsert:1", "upsert:4");
        assertThat(second.upserts().get("1").content())
                .isEqualTo(new Content.Text("name: Ann Example\n\nbio: Runs payroll and pensions.", "text/plain"));
        assertThat(second.cursor()).isEqualTo("{\"rows\":\"2026-03-02T08:30\"}");

        RecordingContext third = new RecordingContext(second.cursor(), second.knownNow());
        new JdbcSource(incremental(), "secret-pw").run(third);
        assertThat(third.log()).as("nothing changed since the last run").isEmpty();
    }

    @Test
    void pagesNeverSplitRowsThatShareACursorValue() throws Exception {
        sql("DELETE FROM employees");
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO employees (id, name, updated_at) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= 1203; i++) {
                // rows 490 to 520 share one timestamp across the first page's end at row 500
                int minute = i >= 490 && i <= 520 ? 490 : i;
                insert.setInt(1, i);
                insert.setString(2, "Employee " + i);
                insert.setObject(3, LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(minute));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        RecordingContext context = new RecordingContext();
        new JdbcSource(incremental(), "secret-pw").run(context);

        assertThat(context.log()).hasSize(1203).doesNotHaveDuplicates();
        assertThat(context.cursors()).as("one cursor per page, the first page extended to row 520")
                .containsExactly("{\"rows\":\"2026-01-01T08:10\"}", "{\"rows\":\"2026-01-01T17:00\"}",
                        "{\"rows\":\"2026-01-01T20:03\"}");
    }

    @Test
    void softDeletedRowIsDeleted() throws Exception {
        RecordingContext first = new RecordingContext();
        new JdbcSource(softDeleting(), "secret-pw").run(first);

        sql("UPDATE employees SET deleted = TRUE, updated_at = TIMESTAMP '2026-03-03 10:00:00' WHERE id = 2");
        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(softDeleting(), "secret-pw").run(second);

        assertThat(second.log()).containsExactly("delete:2");
        assertThat(second.knownNow()).containsOnlyKeys("1", "3");
    }

    @Test
    void tombstonedRowIsDeletedOnce() throws Exception {
        RecordingContext first = new RecordingContext();
        new JdbcSource(tombstones(), "secret-pw").run(first);
        assertThat(first.log()).containsExactly("upsert:1", "upsert:2", "upsert:3");

        sql("DELETE FROM employees WHERE id = 3");
        sql("INSERT INTO deleted_rows VALUES (3, TIMESTAMP '2026-03-04 12:00:00')");
        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(tombstones(), "secret-pw").run(second);

        assertThat(second.log()).containsExactly("delete:3");
        assertThat(second.cursor()).isEqualTo("{\"rows\":\"2026-03-01T09:10\",\"tombstones\":\"2026-03-04T12:00\"}");

        RecordingContext third = new RecordingContext(second.cursor(), second.knownNow());
        new JdbcSource(tombstones(), "secret-pw").run(third);
        assertThat(third.log()).as("the tombstone was read before").isEmpty();
    }

    @Test
    void withoutCursorEveryRunReadsAllRowsAndDeletesMissingOnes() throws Exception {
        SourceSpec spec = spec("employees", null, null, null, null);
        RecordingContext first = new RecordingContext();
        new JdbcSource(spec, "secret-pw").run(first);
        assertThat(first.log()).containsExactly("upsert:1", "upsert:2", "upsert:3");
        assertThat(first.cursor()).as("a full read keeps no cursor").isNull();
        assertThat(first.upserts().get("1").version()).isNull();

        sql("DELETE FROM employees WHERE id = 2");
        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(spec, "secret-pw").run(second);

        assertThat(second.log()).containsExactly("upsert:1", "upsert:3", "delete:2");
    }

    @Test
    void queryRowsAreDocumentsWithoutATable() throws Exception {
        SourceSpec spec = spec(null, "SELECT id, name, bio FROM employees WHERE dept = 'hr'", null, null, null);
        RecordingContext context = new RecordingContext();
        new JdbcSource(spec, "secret-pw").run(context);

        assertThat(context.log()).containsExactly("upsert:1");
        SourceDocument ann = context.upserts().get("1");
        assertThat(ann.uri()).endsWith("#query/1");
        assertThat(ann.metadata()).containsOnlyKeys("id");
    }

    @Test
    void unreachableDatabaseFailsNamingTheUrlButNotThePassword() {
        SourceSpec spec = new SourceSpec("erp", SourceSpec.SourceType.JDBC, null, null, null,
                "jdbc:postgresql://127.0.0.1:1/erp?password=url-secret&connectTimeout=2", "reader", "env:ERP_PASSWORD",
                "public.orders", null, null, "id", null, List.of("note"), null, null, null, null, null, null);

        assertThatThrownBy(() -> new JdbcSource(spec, "s3cret").run(new RecordingContext()))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/erp as 'reader': ")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("url-secret");
    }

    @Test
    void unknownDriverFailsNamingTheUrl() {
        SourceSpec spec = spec("employees", null, null, null, null);
        SourceSpec unknown = new SourceSpec("erp", SourceSpec.SourceType.JDBC, null, null, null, "jdbc:nosuchdb://erp/main",
                null, null, spec.table(), null, null, "id", null, List.of("name"), null, null, null, null, null, null);

        assertThatThrownBy(() -> new JdbcSource(unknown, null).run(new RecordingContext()))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith("cannot connect to jdbc:nosuchdb://erp/main: ")
                .hasMessageContaining("No suitable driver");
    }

    @Test
    void cursorColumnMissingFromTheTableIsNamed() {
        SourceSpec spec = spec("employees", null, "changed_at", null, null);

        assertThatThrownBy(() -> new JdbcSource(spec, "secret-pw").run(new RecordingContext()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cursor_field 'changed_at' is not a column of SELECT * FROM employees")
                .hasMessageContaining("UPDATED_AT");
    }

    @Test
    void urlsLoseTheirCredentials() {
        assertThat(JdbcSource.withoutSecrets("jdbc:postgresql://erp:5432/erp?user=a&password=b"))
                .isEqualTo("jdbc:postgresql://erp:5432/erp");
        assertThat(JdbcSource.withoutSecrets("jdbc:sqlserver://erp;user=a;password=b;databaseName=main"))
                .isEqualTo("jdbc:sqlserver://erp;user=a;databaseName=main");
        assertThat(JdbcSource.withoutSecrets("jdbc:mysql://a:b@erp/main")).isEqualTo("jdbc:mysql://erp/main");
        assertThat(JdbcSource.withoutSecrets("jdbc:oracle:thin:a/b@erp:1521/main")).isEqualTo("jdbc:oracle:thin:@erp:1521/main");
    }

    private SourceSpec incremental() {
        return spec("employees", null, "updated_at", null, null);
    }

    private SourceSpec softDeleting() {
        return spec("employees", null, "updated_at", "deleted", null);
    }

    private SourceSpec tombstones() {
        return spec("employees", null, "updated_at", null, "deleted_rows");
    }

    private SourceSpec spec(String table, String query, String cursor, String deleted, String tombstones) {
        return new SourceSpec("hr-db", SourceSpec.SourceType.JDBC, null, null, null, url, "hr", "env:HR_DB_PASSWORD",
                table, query, null, "id", "name", List.of("name", "bio"), "readers", cursor, deleted, tombstones, null,
                null);
    }

    private void employee(int id, String name, String bio, String readers, String updatedAt) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "INSERT INTO employees (id, name, bio, dept, readers, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setInt(1, id);
            s.setString(2, name);
            s.setString(3, bio);
            s.setString(4, id == 1 ? "hr" : "ops");
            s.setString(5, readers);
            s.setObject(6, LocalDateTime.parse(updatedAt));
            s.executeUpdate();
        }
    }

    private void sql(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }
}
