package dev.fundament.usage;

import dev.fundament.testing.Databases;

class PostgresLedgerStoreTest extends LedgerStoreContract {

    @Override
    LedgerStore create() {
        return new JdbcLedgerStore(Databases.postgres());
    }
}
