package dev.fundament.identity;

import dev.fundament.storage.Storage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The key store over the active database. */
@ApplicationScoped
class KeyStoreProducer {

    @Produces
    @ApplicationScoped
    ApiKeyStore keyStore(Storage storage) {
        return new JdbcApiKeyStore(storage.dataSource());
    }
}
