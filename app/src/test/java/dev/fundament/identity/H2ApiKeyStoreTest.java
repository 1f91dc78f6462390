package dev.fundament.identity;

import dev.fundament.testing.Databases;

class H2ApiKeyStoreTest extends ApiKeyStoreContract {

    @Override
    ApiKeyStore create() {
        return new JdbcApiKeyStore(Databases.h2());
    }
}
