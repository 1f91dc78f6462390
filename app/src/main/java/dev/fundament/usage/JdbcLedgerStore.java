package dev.fundament.usage;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The ledger in H2 or PostgreSQL (schema {@code db/migration/V2__ledger.sql}), with portable SQL. */
public final class JdbcLedgerStore implements LedgerStore {

    private static final String INSERT = "INSERT INTO ledger (id, request_id, created_at, usage_day, subject, team, key_id, key_prefix, "
            + "use_case, operation, model, provider, upstream_model, input_tokens, output_tokens, cached_tokens, estimated, "
            + "cost_micros, currency, latency_ms, status, error_code, stream, cancelled, cache_hit, config_hash) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final DataSource dataSource;

    public JdbcLedgerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(List<LedgerEntry> entries) {
        write(entries, true);
    }

    @Override
    public void insertNew(List<LedgerEntry> entries) {
        write(entries, false);
    }

    private void write(List<LedgerEntry> entries, boolean skipStored) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            java.util.Set<String> stored = skipStored ? dev.fundament.storage.Sql.existingIds(c, "ledger",
                    entries.stream().map(LedgerEntry::id).toList()) : new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                int rows = 0;
                for (LedgerEntry e : entries) {
                    if (stored.add(e.id())) {
                        bind(ps, e);
                        ps.addBatch();
                        rows++;
                    }
                }
                if (rows > 0) {
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + entries.size() + " ledger entries", e);
        }
    }


    @Override
    public void insertOpen(String instance, List<LedgerEntry> opened) {
        if (opened.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            java.util.Set<String> kept = dev.fundament.storage.Sql.existingIds(c, "ledger_open",
                    opened.stream().map(LedgerEntry::id).toList());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ledger_open (id, instance, created_at, entry) VALUES (?, ?, ?, ?)")) {
                int rows = 0;
                for (LedgerEntry e : opened) {
                    if (kept.add(e.id())) {
                        ps.setString(1, e.id());
                        ps.setString(2, instance);
                        ps.setTimestamp(3, Timestamp.from(e.at()));
                        ps.setString(4, JSON.writeValueAsString(e));
                        ps.addBatch();
                        rows++;
                    }
                }
                if (rows > 0) {
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | java.io.IOException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot keep " + opened.size() + " open requests", e);
        }
    }

    @Override
    public void deleteOpen(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM ledger_open WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget " + ids.size() + " settled requests", e);
        }
    }

    @Override
    public List<LedgerEntry> unsettled(String instance) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement settled = c.prepareStatement("DELETE FROM ledger_open WHERE instance = ?"
                    + " AND EXISTS (SELECT 1 FROM ledger WHERE ledger.id = ledger_open.id)")) {
                settled.setString(1, instance);
                settled.executeUpdate();
            }
            List<LedgerEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT entry FROM ledger_open WHERE instance = ? ORDER BY created_at, id")) {
                ps.setString(1, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(JSON.readValue(rs.getString(1), LedgerEntry.class));
                    }
                }
            }
            return out;
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot read open requests", e);
        }
    }

    private static void bind(PreparedStatement ps, LedgerEntry e) throws SQLException {
        ps.setString(1, e.id());
        ps.setString(2, e.requestId());
        ps.setTimestamp(3, Timestamp.from(e.at()));
        ps.setDate(4, Date.valueOf(LocalDate.ofInstant(e.at(), ZoneOffset.UTC)));
        ps.setString(5, e.subject());
        ps.setString(6, e.team());
        ps.setString(7, e.keyId());
        ps.setString(8, e.keyPrefix());
        ps.setString(9, e.useCase());
        ps.setString(10, e.operation());
        ps.setString(11, e.model());
        ps.setString(12, e.provider());
        ps.setString(13, e.upstreamModel());
        ps.setInt(14, e.inputTokens());
        ps.setInt(15, e.outputTokens());
        ps.setInt(16, e.cachedTokens());
        ps.setBoolean(17, e.estimated());
        ps.setLong(18, e.costMicros());
        ps.setString(19, e.currency());
        ps.setInt(20, e.latencyMs());
        ps.setInt(21, e.status());
        ps.setString(22, e.errorCode());
        ps.setBoolean(23, e.stream());
        ps.setBoolean(24, e.cancelled());
        ps.setBoolean(25, e.cacheHit());
        ps.setString(26, e.configHash());
    }

    @Override
    public List<UsageRow> report(Dimension groupBy, LocalDate from, LocalDate to, String team) {
        String column = groupBy.column;
        String sql = "SELECT " + column + " AS g, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), "
                + "SUM(cost_micros), SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) FROM ledger "
                + "WHERE usage_day >= ? AND usage_day <= ?" + (team != null ? " AND team = ?" : "")
                + " GROUP BY " + column + " ORDER BY " + column + " NULLS FIRST";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDate(1, Date.valueOf(from));
            ps.setDate(2, Date.valueOf(to));
            if (team != null) {
                ps.setString(3, team);
            }
            List<UsageRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object g = rs.getObject(1);
                    rows.add(new UsageRow(g == null ? null : g.toString(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
    }

    @Override
    public long spentSince(String scope, String id, Instant from) {
        String column = switch (scope) {
            case "team" -> "team";
            case "user" -> "subject";
            case "key" -> "key_id";
            case "key_prefix" -> "key_prefix";
            default -> throw new IllegalArgumentException("no budget scope " + scope);
        };
        String sql = "SELECT COALESCE(SUM(cost_micros), 0) FROM ledger WHERE " + column + " = ? AND created_at >= ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
    }

    @Override
    public List<LedgerEntry> findByRequestId(String requestId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM ledger WHERE request_id = ? ORDER BY created_at")) {
            ps.setString(1, requestId);
            List<LedgerEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerEntry(rs.getString("id"), rs.getString("request_id"),
                            rs.getTimestamp("created_at").toInstant(), rs.getString("subject"), rs.getString("team"),
                            rs.getString("key_id"), rs.getString("key_prefix"), rs.getString("use_case"),
                            rs.getString("operation"), rs.getString("model"), rs.getString("provider"),
                            rs.getString("upstream_model"), rs.getInt("input_tokens"), rs.getInt("output_tokens"),
                            rs.getInt("cached_tokens"), rs.getBoolean("estimated"), rs.getLong("cost_micros"),
                            rs.getString("currency"), rs.getInt("latency_ms"), rs.getInt("status"), rs.getString("error_code"),
                            rs.getBoolean("stream"), rs.getBoolean("cancelled"), rs.getBoolean("cache_hit"),
                            rs.getString("config_hash")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
    }

    @Override
    public int countByRequestId(String requestId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ledger WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
    }
}
