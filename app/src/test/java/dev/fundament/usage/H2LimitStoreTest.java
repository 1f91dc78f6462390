package dev.fundament.usage;

import dev.fundament.testing.Databases;

class H2LimitStoreTest extends LimitStoreContract {

    @Override
    LimitStore create() {
        return new JdbcLimitStore(Databases.h2());
    }
}
