package dev.fundament.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Admin-set route weights (table {@code route_weights}) and shadow results ({@code shadow_results}),
 * {@code V5__routing.sql}, for H2 and PostgreSQL alike.
 */
public final class RoutingStore {

    /**
     * The weights an admin set for one model.
     *
     * @param byVersion weight by version label, every version of the model
     */
    public record Weights(String model, Map<String, Integer> byVersion, Instant updatedAt, String updatedBy) {
    }

    private final DataSource dataSource;

    public RoutingStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Replaces a model's weights in one transaction. */
    public void putWeights(Weights w) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM route_weights WHERE model = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO route_weights (model, version, weight, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)")) {
                delete.setString(1, w.model());
                delete.executeUpdate();
                for (Map.Entry<String, Integer> e : w.byVersion().entrySet()) {
                    insert.setString(1, w.model());
                    insert.setString(2, e.getKey());
                    insert.setInt(3, e.getValue());
                    insert.setTimestamp(4, Timestamp.from(w.updatedAt()));
                    insert.setString(5, w.updatedBy());
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot store the route weights of " + w.model(), e);
        }
    }

    /** @return whether the model had admin-set weights */
    public boolean removeWeights(String model) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM route_weights WHERE model = ?")) {
            ps.setString(1, model);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot remove the route weights of " + model, e);
        }
    }

    /** @return every model's admin-set weights */
    public Map<String, Weights> weights() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT model, version, weight, updated_at, updated_by FROM route_weights ORDER BY model, version");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Weights> out = new LinkedHashMap<>();
            while (rs.next()) {
                String model = rs.getString(1);
                Weights w = out.get(model);
                if (w == null) {
                    w = new Weights(model, new LinkedHashMap<>(), rs.getTimestamp(4).toInstant(), rs.getString(5));
                    out.put(model, w);
                }
                w.byVersion().put(rs.getString(2), rs.getInt(3));
            }
            return out;
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot read route weights", e);
        }
    }

    public void insert(ShadowResult r) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO shadow_results (request_id, model, at, primary_target,"
                     + " primary_version, primary_status, primary_latency_ms, primary_tokens, primary_answer, shadow_target,"
                     + " shadow_version, shadow_status, shadow_latency_ms, shadow_tokens, shadow_answer, similarity)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.requestId());
            ps.setString(2, r.model());
            ps.setTimestamp(3, Timestamp.from(r.at()));
            set(ps, 4, r.primary());
            set(ps, 10, r.shadow());
            if (r.similarity() == null) {
                ps.setNull(16, Types.DOUBLE);
            } else {
                ps.setDouble(16, r.similarity());
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot store the shadow result of request " + r.requestId(), e);
        }
    }

    private static void set(PreparedStatement ps, int from, ShadowResult.Outcome o) throws SQLException {
        ps.setString(from, o.target());
        ps.setString(from + 1, o.version());
        ps.setString(from + 2, o.status());
        ps.setLong(from + 3, o.latencyMs());
        ps.setLong(from + 4, o.completionTokens());
        ps.setString(from + 5, o.answer());
    }

    /** @return a model's newest shadow results, newest first */
    public List<ShadowResult> shadowResults(String model, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT request_id, model, at, primary_target, primary_version,"
                     + " primary_status, primary_latency_ms, primary_tokens, primary_answer, shadow_target, shadow_version,"
                     + " shadow_status, shadow_latency_ms, shadow_tokens, shadow_answer, similarity FROM shadow_results"
                     + " WHERE model = ? ORDER BY at DESC, request_id LIMIT ?")) {
            ps.setString(1, model);
            ps.setInt(2, limit);
            List<ShadowResult> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double similarity = rs.getDouble(16);
                    out.add(new ShadowResult(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            outcome(rs, 4), outcome(rs, 10), rs.wasNull() ? null : similarity));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot read shadow results", e);
        }
    }

    private static ShadowResult.Outcome outcome(ResultSet rs, int from) throws SQLException {
        return new ShadowResult.Outcome(rs.getString(from), rs.getString(from + 1), rs.getString(from + 2),
                rs.getLong(from + 3), rs.getLong(from + 4), rs.getString(from + 5));
    }

    /**
     * A model's shadow results in sum.
     *
     * @param similarity average over the pairs where both answered, null when there is none
     */
    public record ShadowSummary(long requests, long primaryErrors, long shadowErrors, double primaryLatencyMs,
                                double shadowLatencyMs, Double similarity) {
    }

    public ShadowSummary shadowSummary(String model) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*),"
                     + " SUM(CASE WHEN primary_status <> 'ok' THEN 1 ELSE 0 END),"
                     + " SUM(CASE WHEN shadow_status <> 'ok' THEN 1 ELSE 0 END),"
                     + " AVG(CAST(primary_latency_ms AS DOUBLE PRECISION)), AVG(CAST(shadow_latency_ms AS DOUBLE PRECISION)),"
                     + " AVG(similarity) FROM shadow_results WHERE model = ?")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double similarity = rs.getDouble(6);
                Double sim = rs.wasNull() ? null : similarity;
                return new ShadowSummary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5), sim);
            }
        } catch (SQLException e) {
            throw new dev.fundament.identity.StoreException("cannot summarise shadow results", e);
        }
    }
}
