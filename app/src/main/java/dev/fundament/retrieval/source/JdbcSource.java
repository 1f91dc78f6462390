package dev.fundament.retrieval.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A table or query of a company database, one document per row, read through plain JDBC: any
 * database whose driver is on the class path (PostgreSQL and H2 ship with Fundament).
 *
 * <p>Two ways to find changes, chosen by {@code cursor_field}:
 * <ul>
 *   <li>With a cursor column (a value that grows with every change, such as {@code updated_at} or a
 *       row version), a run reads only rows whose cursor is greater than the saved one, in cursor
 *       order, {@value #PAGE} rows a page, and saves the cursor after each page's documents were
 *       reported. A run that stops half-way resumes after the last saved page. Deletions arrive as a
 *       soft-delete flag ({@code deleted_field}, true or non-zero: the row's document is deleted) or
 *       as rows of {@code tombstone_table}, which holds the ids of deleted rows ({@code id_field})
 *       and when they were deleted (its {@code cursor_field} column if it has one, else its first
 *       other column, such as {@code deleted_rows(id, deleted_at)}). Tombstones are read before the
 *       rows, so a row deleted and then inserted again with the same id stays.</li>
 *   <li>Without one, every run reads all rows (in id order, a page at a time), reports them all
 *       (unchanged ones are recognised by their content hash), and deletes the documents of rows it
 *       no longer finds. A run that stops early deletes nothing.</li>
 * </ul>
 * Both positions are kept in the one cursor as JSON: {@code {"rows":"2026-03-01T10:15:00","tombstones":"..."}},
 * as text that the column's SQL type (read from the database each run) parses back. Rows whose
 * cursor is NULL are never read in incremental mode.
 *
 * <p>{@code table}, {@code query} and the column settings are used verbatim in SQL: they come from
 * the administrator's configuration, never from a caller. A query is used as a derived table, so it
 * must not end with a semicolon. A document's id is the row's {@code id_field} value; its URI is the
 * source URL without credentials, {@code #table/id} (or {@code #query/id}).
 */
final class JdbcSource implements Source {

    static final int PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceSpec spec;
    private final String password;
    private final String select;
    private final String location;
    private final RowDocument documents;

    /** @param password the resolved password ({@code spec.password()} is a reference), or {@code null} */
    JdbcSource(SourceSpec spec, String password) {
        if (spec.url() == null || !spec.url().startsWith("jdbc:")) {
            throw new IllegalArgumentException("source '" + spec.name() + "': url must be a JDBC URL, was " + spec.url());
        }
        if ((spec.table() == null) == (spec.query() == null)) {
            throw new IllegalArgumentException("source '" + spec.name() + "': give exactly one of 'table' and 'query'");
        }
        this.spec = spec;
        this.password = password;
        this.select = spec.table() != null ? "SELECT * FROM " + spec.table() : spec.query().strip();
        this.location = withoutSecrets(spec.url());
        Set<String> notText = new HashSet<>();
        if (spec.cursorField() != null) {
            notText.add(spec.cursorField());
        }
        if (spec.deletedField() != null) {
            notText.add(spec.deletedField());
        }
        this.documents = new RowDocument(spec, notText);
    }

    @Override
    public void run(SourceContext context) throws SQLException {
        Connection connection = connect(spec.url(), spec.username(), password);
        try (connection) {
            Positions positions = Positions.parse(context.cursor());
            if (spec.tombstoneTable() != null) {
                positions = tombstones(connection, context, positions);
            }
            if (context.stopping()) {
                return;
            }
            if (spec.cursorField() != null) {
                changedRows(connection, context, positions);
            } else {
                allRows(connection, context);
            }
        } catch (SQLException e) {
            throw new SQLException("source '" + spec.name() + "' (" + location + "): " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private void changedRows(Connection connection, SourceContext context, Positions positions) throws SQLException {
        OrderedRows rows = new OrderedRows(connection, select, spec.cursorField(), "cursor_field", PAGE);
        Object after = positions.rows() == null ? null : rows.kind().parse(positions.rows());
        context.expect(rows.count(after));
        OrderedRows.Page page;
        do {
            page = rows.next(after, documents::id);
            for (OrderedRows.Row row : page.rows()) {
                if (context.stopping()) {
                    return;
                }
                report(context, row);
            }
            if (page.rows().isEmpty()) {
                return;
            }
            after = page.rows().getLast().position();
            positions = new Positions(rows.kind().format(after), positions.tombstones());
            context.saveCursor(positions.json());
        } while (page.more() && !context.stopping());
    }

    private void allRows(Connection connection, SourceContext context) throws SQLException {
        Set<String> known = context.known().keySet();
        OrderedRows rows = new OrderedRows(connection, select, spec.idField(), "id_field", PAGE);
        context.expect(rows.count(null));
        Set<String> seen = new HashSet<>();
        Object after = null;
        OrderedRows.Page page;
        do {
            page = rows.next(after, documents::id);
            for (OrderedRows.Row row : page.rows()) {
                if (context.stopping()) {
                    return;
                }
                String id = report(context, row);
                if (id != null) {
                    seen.add(id);
                }
            }
            after = page.rows().isEmpty() ? null : page.rows().getLast().position();
        } while (page.more());
        for (String id : known) {
            if (!seen.contains(id)) { // flagged rows were deleted already and count as seen
                context.delete(id);
            }
        }
    }

    /** @return the id of the row, upserted or deleted; {@code null} when it has none and was reported as failed */
    private String report(SourceContext context, OrderedRows.Row row) {
        Map<String, Object> values = row.values();
        String id = documents.id(values);
        String table = spec.table() != null ? spec.table() : "query";
        if (id == null) {
            context.failed("row@" + row.position(), location + "#" + table,
                    "a row of " + table + " has no value in id_field '" + spec.idField() + "'");
            return null;
        }
        if (spec.deletedField() != null && flagged(RowDocument.value(values, spec.deletedField()))) {
            context.delete(id);
            return id;
        }
        String version = spec.cursorField() == null ? null : RowDocument.render(row.position());
        context.upsert(documents.document(id, location + "#" + table + "/" + id,
                spec.table() == null ? Map.of() : Map.of("table", spec.table()), values, version,
                modifiedAt(row.position())));
        return id;
    }

    /** Deletes the documents of the rows listed in the tombstone table since the saved position. */
    private Positions tombstones(Connection connection, SourceContext context, Positions positions) throws SQLException {
        String select = "SELECT * FROM " + spec.tombstoneTable();
        OrderedRows deleted = new OrderedRows(connection, select, tombstoneColumn(connection, select), "tombstone_table", PAGE);
        Object after = positions.tombstones() == null ? null : deleted.kind().parse(positions.tombstones());
        OrderedRows.Page page;
        do {
            page = deleted.next(after, row -> RowDocument.render(RowDocument.value(row, spec.idField())));
            for (OrderedRows.Row row : page.rows()) {
                String id = RowDocument.render(RowDocument.value(row.values(), spec.idField()));
                if (id != null) {
                    context.delete(id);
                }
            }
            if (page.rows().isEmpty() || context.stopping()) {
                return positions;
            }
            after = page.rows().getLast().position();
            positions = new Positions(positions.rows(), deleted.kind().format(after));
            context.saveCursor(positions.json());
        } while (page.more());
        return positions;
    }

    /** The tombstone table's cursor column: {@code cursor_field} if it has one, else its first non-id column. */
    private String tombstoneColumn(Connection connection, String select) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(select + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            if (spec.cursorField() != null && OrderedRows.find(md, spec.cursorField()) > 0) {
                return spec.cursorField();
            }
            if (OrderedRows.find(md, spec.idField()) < 0) {
                throw new SQLException("tombstone_table " + spec.tombstoneTable() + " has no id_field column '" + spec.idField() + "'");
            }
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (!md.getColumnLabel(i).equalsIgnoreCase(spec.idField())) {
                    return md.getColumnLabel(i);
                }
            }
            throw new SQLException("tombstone_table " + spec.tombstoneTable()
                    + " needs a column that orders the deletions, such as deleted_at, beside '" + spec.idField() + "'");
        }
    }

    private static boolean flagged(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            default -> Set.of("true", "t", "1", "y", "yes").contains(value.toString().strip().toLowerCase(Locale.ROOT));
        };
    }

    private static Instant modifiedAt(Object position) {
        return switch (position) {
            case OffsetDateTime t -> t.toInstant();
            case LocalDateTime t -> t.atZone(ZoneId.systemDefault()).toInstant();
            case null, default -> null;
        };
    }

    /**
     * Opens a connection, or fails with a message that names the URL (without credentials) and the
     * user, never the password.
     */
    static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            String safe = withoutSecrets(url);
            String reason = String.valueOf(e.getMessage()).replace(url, safe);
            boolean leaks = password != null && !password.isEmpty() && mentions(e, password);
            if (leaks) {
                reason = reason.replace(password, "****");
            }
            SQLException failure = new SQLException("cannot connect to " + safe + (user != null ? " as '" + user + "'" : "")
                    + ": " + reason, e.getSQLState());
            if (!leaks) {
                failure.initCause(e);
            }
            throw failure;
        }
    }

    private static boolean mentions(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The URL as it may be shown: without query parameters, without {@code ;password=...} settings,
     * and without {@code user:password@} or Oracle's {@code user/password@}.
     */
    static String withoutSecrets(String url) {
        String out = url;
        int query = out.indexOf('?');
        if (query >= 0) {
            out = out.substring(0, query);
        }
        out = out.replaceAll("(?i);[^;=]*password[^;=]*=[^;]*", "");
        out = out.replaceAll("//[^/@]*@", "//");
        out = out.replaceAll("^(jdbc:oracle:[a-z]+:)[^@]*@", "$1@");
        return out;
    }

    /** Where the last run got to: the rows' and the tombstones' cursor, as text. */
    record Positions(String rows, String tombstones) {

        static Positions parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return new Positions(null, null);
            }
            try {
                JsonNode node = JSON.readTree(cursor);
                if (node != null && node.isObject()) {
                    return new Positions(text(node.get("rows")), text(node.get("tombstones")));
                }
            } catch (java.io.IOException e) {
                // a cursor saved as a bare value: the rows' position
            }
            return new Positions(cursor, null);
        }

        String json() {
            ObjectNode node = JSON.createObjectNode();
            if (rows != null) {
                node.put("rows", rows);
            }
            if (tombstones != null) {
                node.put("tombstones", tombstones);
            }
            return node.toString();
        }

        private static String text(JsonNode node) {
            return node == null || node.isNull() ? null : node.asText();
        }
    }
}
