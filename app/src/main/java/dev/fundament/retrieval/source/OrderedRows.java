package dev.fundament.retrieval.source;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rows of one SELECT in the order of one column, read a page at a time: each page is its own short
 * statement ({@code ... WHERE col > ? ORDER BY col} with a row limit), so no transaction or server
 * cursor stays open on the company's database while the documents of a page are being embedded.
 *
 * <p>A page never ends inside a run of equal values: when the limit cuts a page, the rows sharing its
 * last value are read too, so the next page may start strictly after that value without skipping
 * any. Rows whose column is NULL are never read.
 *
 * <p>The column's SQL type is read from the database, so a position saved as text (a cursor) can be
 * bound again as the type the column compares with.
 */
final class OrderedRows {

    /** A row's columns by label, in the select's order, and its value of the ordering column. */
    record Row(Map<String, Object> values, Object position) {
    }

    /** @param more false when this was the last page */
    record Page(List<Row> rows, boolean more) {
    }

    private final Connection connection;
    private final String select;
    private final String column;
    private final Kind kind;
    private final int size;
    private final String limit;

    /**
     * @param select  the rows, a complete SELECT; used as a derived table
     * @param column  the ordering column, as configured
     * @param setting the setting that named the column, for the error message
     */
    OrderedRows(Connection connection, String select, String column, String setting, int size) throws SQLException {
        this.connection = connection;
        this.select = select;
        this.column = column;
        this.size = size;
        this.kind = kindOf(connection, select, column, setting);
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        this.limit = product.contains("mysql") || product.contains("mariadb") || product.contains("sqlite")
                ? " LIMIT " + size : " OFFSET 0 ROWS FETCH NEXT " + size + " ROWS ONLY";
    }

    Kind kind() {
        return kind;
    }

    /** @return the rows after {@code after} ({@code null}: from the start) */
    long count(Object after) throws SQLException {
        String sql = "SELECT COUNT(*) FROM (" + select + ") src WHERE src." + column + (after == null ? " IS NOT NULL" : " > ?");
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (after != null) {
                s.setObject(1, after);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * @param after the last position already read, or {@code null} for the first page
     * @param id    a row's identity, to leave out rows of the tie read that the page already has
     */
    Page next(Object after, Function<Map<String, Object>, String> id) throws SQLException {
        String where = after == null ? " WHERE src." + column + " IS NOT NULL" : " WHERE src." + column + " > ?";
        List<Row> rows = read("SELECT * FROM (" + select + ") src" + where + " ORDER BY src." + column + limit, after, size);
        boolean more = rows.size() == size;
        if (more) {
            Set<String> have = new HashSet<>();
            rows.forEach(r -> have.add(id.apply(r.values())));
            Object last = rows.getLast().position();
            for (Row tie : read("SELECT * FROM (" + select + ") src WHERE src." + column + " = ?", last, 0)) {
                if (have.add(id.apply(tie.values()))) {
                    rows.add(tie);
                }
            }
        }
        return new Page(rows, more);
    }

    private List<Row> read(String sql, Object parameter, int maxRows) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setMaxRows(maxRows);
            if (parameter != null) {
                s.setObject(1, parameter);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                int position = find(md, column);
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        values.put(md.getColumnLabel(i), value(rs.getObject(i)));
                    }
                    rows.add(new Row(values, kind.read(rs, position)));
                }
                return rows;
            }
        }
    }

    /** Large objects and arrays as plain Java values, read while the row is current. */
    private static Object value(Object v) throws SQLException {
        return switch (v) {
            case Clob clob -> clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
            case Blob ignored -> null;
            case SQLXML xml -> xml.getString();
            case Array array -> array.getArray();
            case null, default -> v;
        };
    }

    private static Kind kindOf(Connection connection, String select, String column, String setting) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT * FROM (" + select + ") src WHERE 1 = 0");
             ResultSet rs = s.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int i = find(md, column);
            if (i < 0) {
                List<String> labels = new ArrayList<>();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    labels.add(md.getColumnLabel(c));
                }
                throw new SQLException(setting + " '" + column + "' is not a column of " + select + "; its columns: "
                        + String.join(", ", labels));
            }
            return Kind.of(md.getColumnType(i), md.getColumnTypeName(i));
        }
    }

    /** @return the 1-based index of the column, matched without regard to case or quotes; -1 if absent */
    static int find(ResultSetMetaData md, String column) throws SQLException {
        String name = column.replace("\"", "");
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnLabel(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** How a position is read, written as text into a cursor, and parsed back for binding. */
    enum Kind {
        INTEGER, DECIMAL, FLOATING, TIMESTAMP, TIMESTAMP_TZ, DATE, TEXT;

        static Kind of(int sqlType, String typeName) {
            String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
            return switch (sqlType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
                case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
                case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOATING;
                case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
                case Types.TIMESTAMP -> name.contains("tz") || name.contains("time zone") ? TIMESTAMP_TZ : TIMESTAMP;
                case Types.DATE -> DATE;
                default -> TEXT;
            };
        }

        Object read(ResultSet rs, int column) throws SQLException {
            Object value = switch (this) {
                case INTEGER -> rs.getLong(column);
                case DECIMAL -> rs.getBigDecimal(column);
                case FLOATING -> rs.getDouble(column);
                case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
                case TIMESTAMP_TZ -> rs.getObject(column, OffsetDateTime.class);
                case DATE -> rs.getObject(column, LocalDate.class);
                case TEXT -> rs.getString(column);
            };
            return rs.wasNull() ? null : value;
        }

        Object parse(String text) {
            return switch (this) {
                case INTEGER -> Long.parseLong(text);
                case DECIMAL -> new BigDecimal(text);
                case FLOATING -> Double.parseDouble(text);
                case TIMESTAMP -> LocalDateTime.parse(text);
                case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
                case DATE -> LocalDate.parse(text);
                case TEXT -> text;
            };
        }

        String format(Object value) {
            return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        }
    }
}
