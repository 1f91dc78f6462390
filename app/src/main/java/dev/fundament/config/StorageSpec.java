package dev.fundament.config;

/**
 * Where durable state lives (keys, and later the ledger and audit trail).
 *
 * @param type           {@code embedded} (default): an H2 database file in the data directory;
 *                       {@code postgresql}: a PostgreSQL server, for several instances
 * @param url            for postgresql, the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/fundament}
 * @param username       for postgresql
 * @param password       for postgresql, a secret reference such as {@code env:FUNDAMENT_DB_PASSWORD}
 * @param maxConnections pool size; default 16
 */
public record StorageSpec(StorageType type, String url, String username, String password, Integer maxConnections) {

    public static final StorageSpec DEFAULTS = new StorageSpec(null, null, null, null, null);

    public StorageSpec {
        type = type != null ? type : StorageType.EMBEDDED;
        maxConnections = maxConnections != null ? maxConnections : 16;
    }

    /** The kinds of store. */
    public enum StorageType implements WireName {
        EMBEDDED("embedded"), POSTGRESQL("postgresql");

        private final String wire;

        StorageType(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }
}
