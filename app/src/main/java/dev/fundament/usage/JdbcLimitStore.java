package dev.fundament.usage;

import dev.fundament.config.LimitsSpec;
import dev.fundament.identity.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Admin-set limits in table {@code rate_limits} ({@code V3__rate_limits.sql}), for H2 and PostgreSQL alike. */
public final class JdbcLimitStore implements LimitStore {

    private final DataSource dataSource;

    public JdbcLimitStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void put(LimitOverride o) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM rate_limits WHERE scope = ? AND subject = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO rate_limits (scope, subject, team, "
                         + "requests_per_minute, tokens_per_minute, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                delete.setString(1, o.scope());
                delete.setString(2, o.subject());
                delete.executeUpdate();
                insert.setString(1, o.scope());
                insert.setString(2, o.subject());
                insert.setString(3, o.team());
                setInt(insert, 4, o.rate().requestsPerMinute());
                setInt(insert, 5, o.rate().tokensPerMinute());
                insert.setTimestamp(6, Timestamp.from(o.updatedAt()));
                insert.setString(7, o.updatedBy());
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store the " + o.scope() + " limit of " + o.subject(), e);
        }
    }

    @Override
    public boolean remove(String scope, String subject) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM rate_limits WHERE scope = ? AND subject = ?")) {
            ps.setString(1, scope);
            ps.setString(2, subject);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot remove the " + scope + " limit of " + subject, e);
        }
    }

    @Override
    public List<LimitOverride> all() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT scope, subject, team, requests_per_minute, tokens_per_minute,"
                     + " updated_at, updated_by FROM rate_limits ORDER BY scope, subject");
             ResultSet rs = ps.executeQuery()) {
            List<LimitOverride> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new LimitOverride(rs.getString(1), rs.getString(2), rs.getString(3),
                        new LimitsSpec.RateSpec(getInt(rs, 4), getInt(rs, 5)), rs.getTimestamp(6).toInstant(), rs.getString(7)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read limits", e);
        }
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static Integer getInt(ResultSet rs, int index) throws SQLException {
        int v = rs.getInt(index);
        return rs.wasNull() ? null : v;
    }
}
