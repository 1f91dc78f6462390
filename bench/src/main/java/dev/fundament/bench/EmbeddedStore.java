package dev.fundament.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** The embedded H2 file database as the product runs it, migrated, in a directory of its own, for benchmarks. */
public final class EmbeddedStore {

    private EmbeddedStore() {
    }

    /** @return a migrated H2 file database in {@code dir}, with the product's connection settings */
    public static DataSource open(Path dir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("fundament") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** Deletes a benchmark's directory and everything in it. */
    public static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
