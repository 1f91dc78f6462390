package dev.fundament.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CRM table followed by change data capture, end to end through a running Fundament: a row
 * inserted, updated or deleted in PostgreSQL is searchable (or gone) within seconds, and a restart
 * of Fundament neither loses changes made while it was down nor indexes anything twice. Needs the
 * logical-decoding PostgreSQL of {@code .ci/pg-logical.sh start} on 127.0.0.1:55432.
 */
class ChangeCaptureSearchIT {

    private static final String ADMIN = "fk-cdc-admin-0123456789abcdefghijklmnopq";
    private static final String URL = "jdbc:postgresql://127.0.0.1:55432/";
    private static String database;
    private static Path dir;
    private static Instance fundament;

    @BeforeAll
    static void start() throws Exception {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", 55432), 1000);
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("PostgreSQL with wal_level=logical is required on 127.0.0.1:55432", e);
            }
            Assumptions.abort("no PostgreSQL with logical decoding on 127.0.0.1:55432 (.ci/pg-logical.sh start)");
        }
        database = "crm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("postgres", "CREATE DATABASE " + database);
        sql(database, "CREATE TABLE accounts (id INT PRIMARY KEY, name TEXT, notes TEXT)");
        sql(database, "INSERT INTO accounts VALUES (1, 'Hansa Stahlbau', 'Buys two NW-720 press brakes a year.')");
        dir = Files.createTempDirectory("fundament-cdc");
        Files.writeString(dir.resolve("fundament.yaml"), """
                collections:
                  crm:
                    owner: default
                    readers: [public]
                    languages: [en]
                    sources:
                      - name: accounts
                        type: postgres_cdc
                        url: %s%s
                        username: postgres
                        tables: [public.accounts]
                        title_field: name
                        text_fields: [name, notes]
                """.formatted(URL, database));
        fundament = start(dir);
    }

    private static Instance start(Path dir) throws Exception {
        return Instance.start(dir.resolve("fundament.yaml"), dir.resolve("data"), TwoInstancesIT.freePort(),
                Map.of("FUNDAMENT_BOOTSTRAP_KEY", ADMIN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fundament != null) {
            Instance.closeAll(null, fundament);
        }
        if (database != null) {
            sql("postgres", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                    + database + "' AND NOT active");
            sql("postgres", "DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    @Test
    void rowChangesAreSearchableWithinSecondsAndARestartLosesAndRepeatsNothing() throws Exception {
        await("the snapshot's row", "press brakes a year", body -> body.contains("\"document\":\"accounts:1\""));

        long inserted = System.nanoTime();
        sql(database, "INSERT INTO accounts VALUES (2, 'Rhein Laser GmbH', 'Evaluates the NW-500 fibre laser for stainless steel.')");
        await("an inserted row", "fibre laser stainless steel", body -> body.contains("\"document\":\"accounts:2\""));
        long insertMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inserted);

        sql(database, "UPDATE accounts SET notes = 'Ordered a CoolMaster coolant unit in May.' WHERE id = 2");
        await("an updated row", "coolant unit", body -> body.contains("CoolMaster") && !body.contains("Evaluates the NW-500"));
        sql(database, "DELETE FROM accounts WHERE id = 1");
        await("a deleted row", "press brakes a year", body -> !body.contains("\"document\":\"accounts:1\""));

        Instance.closeAll(null, fundament);
        sql(database, "INSERT INTO accounts VALUES (3, 'Elbe Werkzeugbau', 'Asked for training dates in March.')");
        sql(database, "UPDATE accounts SET notes = 'Ordered two CoolMaster units.' WHERE id = 2");
        fundament = start(dir);
        await("a row inserted while Fundament was down", "training dates in March",
                body -> body.contains("\"document\":\"accounts:3\""));
        await("a row updated while Fundament was down", "two CoolMaster units", body -> body.contains("two CoolMaster units"));

        HttpResponse<String> docs = fundament.get("/admin/v1/collections/crm/documents", ADMIN);
        assertThat(docs.body()).contains("\"id\":\"accounts:2\"").contains("\"id\":\"accounts:3\"")
                .doesNotContain("\"id\":\"accounts:1\"");
        assertThat(docs.body().split("\"id\":\"accounts:2\"", -1)).as("one record per row").hasSize(2);
        assertThat(docs.body()).as("row 2 changed three times: insert, two updates").contains("\"revision\":3");
        System.out.printf("change data capture: insert searchable after %d ms%n", insertMillis);
    }

    private static void await(String what, String query, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = fundament.post("/v1/collections/crm/search", ADMIN,
                    "{\"query\": \"" + query + "\", \"top_k\": 10}");
            body = r.body();
            if (r.statusCode() == 200 && condition.test(body)) {
                return;
            }
        }
        throw new AssertionError(what + " was not searchable within 60 s; last answer: " + body);
    }

    private static void sql(String db, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(URL + db, "postgres", null); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
