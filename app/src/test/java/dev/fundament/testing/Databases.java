package dev.fundament.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Databases for store contract tests: a fresh H2 database, or a fresh schema on the PostgreSQL server
 * at {@code FUNDAMENT_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code FUNDAMENT_TEST_PG_USER}, default {@code postgres}), both migrated by Flyway from the product's
 * own migrations.
 *
 * <p>Without a reachable server the PostgreSQL tests are skipped, unless
 * {@code FUNDAMENT_REQUIRE_SERVICES=true} (set by {@code .ci/run}), which turns a missing server into a
 * failure.
 */
public final class Databases {

    private Databases() {
    }

    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        migrate(ds, null);
        return ds;
    }

    public static DataSource postgres() {
        String url = env("FUNDAMENT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("FUNDAMENT_TEST_PG_USER", "postgres");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("PostgreSQL is required at " + url + " but not reachable", e);
            }
            Assumptions.abort("no PostgreSQL at " + url + " (" + e.getMessage() + ")");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setCurrentSchema(schema);
        migrate(ds, schema);
        return ds;
    }

    private static void migrate(DataSource ds, String schema) {
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (schema != null) {
            config.schemas(schema);
        }
        config.load().migrate();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
