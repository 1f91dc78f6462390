package dev.fundament.storage;

import dev.fundament.config.StorageSpec;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * The active database. Which one is active is decided before Quarkus starts, from
 * {@code fundament.yaml}'s {@code storage} section, by {@link #quarkusProperties}; the datasource of the
 * other kind stays inactive and is never connected.
 */
@ApplicationScoped
public class Storage {

    private final AgroalDataSource dataSource;
    private final StorageSpec.StorageType type;

    @Inject
    public Storage(@DataSource("embedded") InjectableInstance<AgroalDataSource> embedded,
                   @DataSource("server") InjectableInstance<AgroalDataSource> server) {
        if (server.getHandle().getBean().isActive()) {
            this.dataSource = server.get();
            this.type = StorageSpec.StorageType.POSTGRESQL;
        } else {
            this.dataSource = embedded.get();
            this.type = StorageSpec.StorageType.EMBEDDED;
        }
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public StorageSpec.StorageType type() {
        return type;
    }

    /**
     * The Quarkus settings that select and configure the database for a storage specification.
     *
     * @param password the resolved password, or {@code null}
     */
    public static Map<String, String> quarkusProperties(StorageSpec spec, String password) {
        Map<String, String> p = new HashMap<>();
        boolean server = spec.type() == StorageSpec.StorageType.POSTGRESQL;
        p.put("fundament.storage.embedded-active", String.valueOf(!server));
        p.put("fundament.storage.server-active", String.valueOf(server));
        p.put("fundament.storage.max-connections", String.valueOf(spec.maxConnections()));
        if (server) {
            p.put("fundament.storage.url", spec.url());
            if (spec.username() != null) {
                p.put("fundament.storage.username", spec.username());
            }
            if (password != null) {
                p.put("fundament.storage.password", password);
            }
        }
        return p;
    }
}
