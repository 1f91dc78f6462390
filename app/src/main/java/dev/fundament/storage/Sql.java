package dev.fundament.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small SQL helpers the stores share; portable between H2 and PostgreSQL. */
public final class Sql {

    private Sql() {
    }

    /** @return which of {@code ids} are already in {@code table}'s {@code id} column (for idempotent replays) */
    public static Set<String> existingIds(Connection c, String table, List<String> ids) throws SQLException {
        Set<String> stored = new HashSet<>();
        if (ids.isEmpty()) {
            return stored;
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }
}
