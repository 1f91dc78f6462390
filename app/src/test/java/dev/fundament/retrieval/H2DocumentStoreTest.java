package dev.fundament.retrieval;

import dev.fundament.testing.Databases;
import javax.sql.DataSource;

class H2DocumentStoreTest extends DocumentStoreContract {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }
}
