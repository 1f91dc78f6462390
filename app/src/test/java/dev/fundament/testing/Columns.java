package dev.fundament.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** The migrated schema's text columns, and records with one text field set, for tests that hold records against them. */
public final class Columns {

    private Columns() {
    }

    /** @return a table's text columns (lower case) and their widths, from INFORMATION_SCHEMA */
    public static Map<String, Integer> widths(DataSource db, String table) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_NAME) = ?"
                        + " AND CHARACTER_MAXIMUM_LENGTH IS NOT NULL")) {
            ps.setString(1, table.toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2));
                }
            }
        }
        return out;
    }

    /** @return the column a record component is written to, by the schema's naming (camelCase to snake_case) */
    public static String column(RecordComponent component) {
        return component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** @return {@code template} with the text component {@code name} set to {@code value} */
    public static <R extends Record> R with(R template, String name, String value) {
        try {
            RecordComponent[] components = template.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = components[i].getName().equals(name) ? value : components[i].getAccessor().invoke(template);
            }
            Constructor<?> canonical = template.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            @SuppressWarnings("unchecked")
            R copy = (R) canonical.newInstance(args);
            return copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
