package dev.fundament.retrieval;

import dev.fundament.testing.Databases;
import javax.sql.DataSource;

class PostgresDocumentStoreTest extends DocumentStoreContract {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }
}
