package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.SourceSpec;
import dev.fundament.testing.Databases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC connector against PostgreSQL, which compares a cursor only with a value of the column's
 * own type ({@code timestamptz > varchar} is an error): the saved cursor text is bound back as the
 * column's type. Uses the server of {@link Databases#postgres()}, in a schema of its own.
 */
class JdbcSourcePostgresTest {

    private PGSimpleDataSource db;

    @BeforeEach
    void createTable() throws SQLException {
        DataSource ds = Databases.postgres();
        db = (PGSimpleDataSource) ds;
        sql("""
                CREATE TABLE orders (id BIGINT PRIMARY KEY, note TEXT, amount NUMERIC(10, 2),
                  updated_at TIMESTAMPTZ, changed TIMESTAMP, version NUMERIC, deleted SMALLINT DEFAULT 0)""");
        sql("""
                INSERT INTO orders (id, note, amount, updated_at, changed, version) VALUES
                  (1, 'ten chairs', 450.00, '2026-03-01 09:00:00+01', '2026-03-01 09:00:00', 1),
                  (2, 'four desks', 1200.50, '2026-03-01 09:05:00.123456+01', '2026-03-01 09:05:00.123456', 2)""");
    }

    @Test
    void timestampWithTimeZoneCursorKeepsMicroseconds() throws Exception {
        runsIncrementallyBy("updated_at", "UPDATE orders SET note = 'twelve chairs', updated_at = '2026-03-01 09:05:00.123457+01' WHERE id = 1");
    }

    /** The saved cursor is the last row's 09:05:00.123456; a change one microsecond later is found. */
    @Test
    void timestampCursorKeepsMicroseconds() throws Exception {
        runsIncrementallyBy("changed", "UPDATE orders SET note = 'twelve chairs', changed = '2026-03-01 09:05:00.123457' WHERE id = 1");
    }

    @Test
    void numericCursor() throws Exception {
        runsIncrementallyBy("version", "UPDATE orders SET note = 'twelve chairs', version = 3 WHERE id = 1");
    }

    @Test
    void softDeleteBySmallintFlag() throws Exception {
        SourceSpec spec = spec("version", "deleted");
        RecordingContext first = new RecordingContext();
        new JdbcSource(spec, null).run(first);
        sql("UPDATE orders SET deleted = 1, version = 3 WHERE id = 2");

        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(spec, null).run(second);
        assertThat(second.log()).containsExactly("delete:2");
    }

    private void runsIncrementallyBy(String cursor, String change) throws Exception {
        SourceSpec spec = spec(cursor, null);
        RecordingContext first = new RecordingContext();
        new JdbcSource(spec, null).run(first);
        assertThat(first.log()).containsExactly("upsert:1", "upsert:2");
        assertThat(first.upserts().get("2").metadata()).containsEntry("amount", "1200.50");

        sql(change);
        RecordingContext second = new RecordingContext(first.cursor(), first.knownNow());
        new JdbcSource(spec, null).run(second);
        assertThat(second.log()).as("only the changed row, by " + cursor).containsExactly("upsert:1");
        assertThat(second.upserts().get("1").title()).isEqualTo("twelve chairs");

        RecordingContext third = new RecordingContext(second.cursor(), second.knownNow());
        new JdbcSource(spec, null).run(third);
        assertThat(third.log()).as("nothing changed since, by " + cursor).isEmpty();
    }

    private SourceSpec spec(String cursor, String deleted) {
        String url = db.getURL() + (db.getURL().contains("?") ? "&" : "?") + "currentSchema=" + db.getCurrentSchema();
        return new SourceSpec("shop", SourceSpec.SourceType.JDBC, null, null, null, url, db.getUser(), null, "orders", null,
                null, "id", "note", List.of("note"), null, cursor, deleted, null, null, null);
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
