package dev.fundament.identity;

import dev.fundament.testing.Databases;

class PostgresApiKeyStoreTest extends ApiKeyStoreContract {

    @Override
    ApiKeyStore create() {
        return new JdbcApiKeyStore(Databases.postgres());
    }
}
