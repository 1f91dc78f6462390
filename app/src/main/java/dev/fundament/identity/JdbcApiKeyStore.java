package dev.fundament.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Keys in a relational database, with SQL that H2 and PostgreSQL both accept (schema
 * {@code db/migration/V1__api_keys.sql}, applied by Flyway). Sets are stored comma-separated and
 * metadata as a JSON object, so the schema stays portable.
 */
public final class JdbcApiKeyStore implements ApiKeyStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, prefix, key_hash, name, kind, subject, team, roles, allowed_models, "
            + "metadata, created_at, expires_at, revoked_at, replaced_by";

    private final DataSource dataSource;

    public JdbcApiKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(ApiKey key) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, key);
        } catch (SQLException e) {
            throw new StoreException("cannot store key " + key.prefix(), e);
        }
    }

    @Override
    public Optional<ApiKey> findByHash(String hash) {
        return one("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", hash)
                .filter(k -> KeyMaterial.sameHash(k.hash(), hash));
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        return one("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id);
    }

    @Override
    public List<ApiKey> list(String team) {
        String sql = "SELECT " + COLUMNS + " FROM api_keys" + (team == null ? "" : " WHERE team = ?")
                + " ORDER BY created_at DESC, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (team != null) {
                ps.setString(1, team);
            }
            List<ApiKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list keys", e);
        }
    }

    @Override
    public boolean revoke(String id, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            return revoke(c, id, at, null);
        } catch (SQLException e) {
            throw new StoreException("cannot revoke key " + id, e);
        }
    }

    @Override
    public boolean replace(String oldId, ApiKey next, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!revoke(c, oldId, at, next.id())) {
                    c.rollback();
                    return false;
                }
                insert(c, next);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot rotate key " + oldId, e);
        }
    }

    @Override
    public boolean hasUsableAdmin(Instant now) {
        String sql = "SELECT roles FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (roles(rs.getString(1)).contains(Role.ADMIN)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new StoreException("cannot read keys", e);
        }
    }

    private static boolean revoke(Connection c, String id, Instant at, String replacedBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET revoked_at = ?, replaced_by = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, replacedBy);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, ApiKey k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, k.id());
            ps.setString(2, k.prefix());
            ps.setString(3, k.hash());
            ps.setString(4, k.name());
            ps.setString(5, k.service() ? "service" : "user");
            ps.setString(6, k.subject());
            ps.setString(7, k.team());
            ps.setString(8, k.roles().stream().map(Role::wire).sorted().collect(Collectors.joining(",")));
            ps.setString(9, k.allowedModels().isEmpty() ? null : String.join(",", new java.util.TreeSet<>(k.allowedModels())));
            ps.setString(10, json(k.metadata()));
            ps.setTimestamp(11, Timestamp.from(k.createdAt()));
            ps.setTimestamp(12, k.expiresAt() == null ? null : Timestamp.from(k.expiresAt()));
            ps.setTimestamp(13, k.revokedAt() == null ? null : Timestamp.from(k.revokedAt()));
            ps.setString(14, k.replacedBy());
            ps.executeUpdate();
        }
    }

    private Optional<ApiKey> one(String sql, String value) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read keys", e);
        }
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        String models = rs.getString("allowed_models");
        return new ApiKey(rs.getString("id"), rs.getString("prefix"), rs.getString("key_hash"), rs.getString("name"),
                "service".equals(rs.getString("kind")), rs.getString("subject"), rs.getString("team"),
                roles(rs.getString("roles")),
                models == null || models.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(models.split(","))),
                metadata(rs.getString("metadata")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")), rs.getString("replaced_by"));
    }

    private static Set<Role> roles(String text) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : text.split(",")) {
            Role role = Role.fromWire(r.trim());
            if (role != null) {
                roles.add(role);
            }
        }
        return roles;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> metadata(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
