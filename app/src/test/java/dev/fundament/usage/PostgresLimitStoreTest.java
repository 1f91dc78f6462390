package dev.fundament.usage;

import dev.fundament.testing.Databases;

class PostgresLimitStoreTest extends LimitStoreContract {

    @Override
    LimitStore create() {
        return new JdbcLimitStore(Databases.postgres());
    }
}
