package dev.fundament.usage;

import dev.fundament.testing.Databases;

class H2LedgerStoreTest extends LedgerStoreContract {

    @Override
    LedgerStore create() {
        return new JdbcLedgerStore(Databases.h2());
    }
}
