package dev.fundament.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.config.AuditSpec;
import dev.fundament.testing.Databases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request for a model whose name was longer than the audit column (ROUTE VARCHAR(200)) was chained
 * and journaled, and then the audit writer retried it forever: no later record reached the database
 * while {@code audit verify} still said intact, and the next start failed with "cannot write 3 audit
 * records". Now the refused record is set aside in the audit journal's dead-letter file and a sealed
 * stand-in takes its place in the chain: later records are stored, the chain verifies and shows it.
 * PostgreSQL also refuses a NUL character, which H2 stores.
 */
class AuditQuarantineTest {

    @TempDir
    Path dir;

    private static DataSource database(String kind) {
        return kind.equals("postgres") ? Databases.postgres() : Databases.h2();
    }

    static AuditRecord request(String requestId, String route) {
        return new AuditRecord(null, 0, null, null, "request", requestId, "ann", "sales", "fk-abc", route, "openai",
                "gpt-4o-2024-08-06", "cfg", null, 10, 5, 300, 404, 12, "req-sha", null, null, null, null, null, null, null,
                null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRecordTheDatabaseRefusesIsSealedIntoTheChainAndTheRestIsStored(String kind) throws Exception {
        DataSource db = database(kind);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditTrail trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC(),
                registry);
        List<String> hostile = kind.equals("postgres") ? List.of("m".repeat(201), "model\u0000name") : List.of("m".repeat(201));
        try {
            trail.append(request("before", "gpt-4o"), null).get(10, TimeUnit.SECONDS);
            for (String route : hostile) {
                trail.append(request("hostile", route), null).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 5; i++) {
                trail.append(request("after-" + i, "gpt-4o"), null).get(10, TimeUnit.SECONDS);
            }
            trail.checkpoint();

            AuditVerifier.Report report = trail.verify();
            assertThat(report.ok()).as("the chain stays continuous: %s", report).isTrue();
            assertThat(report.chains()).singleElement().satisfies(c -> {
                assertThat(c.records()).isEqualTo(1 + hostile.size() + 5);
                assertThat(c.rejected()).isEqualTo(hostile.size());
            });
            List<AuditRecord> chain = chain(db);
            assertThat(chain).extracting(AuditRecord::requestId).containsSubsequence("before", "after-0", "after-4");
            AuditRecord standIn = chain.get(1);
            assertThat(standIn.action()).isEqualTo("record_rejected");
            assertThat(standIn.route()).isNull();
            assertThat(standIn.status()).isEqualTo(404);
            assertThat(new ObjectMapper().readTree(standIn.details()).get("reason").asText())
                    .isEqualTo("a value is longer than its column (SQL state 22001)");

            List<String> dead = Files.readAllLines(dir.resolve("audit-journal").resolve("rejected.jsonl"));
            assertThat(dead).hasSize(hostile.size());
            assertThat(new ObjectMapper().readTree(dead.getFirst()).at("/record/id").asText()).isEqualTo(standIn.id());
            assertThat(new ObjectMapper().readTree(dead.getFirst()).at("/record/hash").asText()).isEqualTo(standIn.hash());
            assertThat(registry.find("fundament.journal.rejected").tag("journal", "audit").counter().count())
                    .isEqualTo(hostile.size());
        } finally {
            trail.stop(null, null);
        }

        AuditTrail restarted = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC(),
                new SimpleMeterRegistry());
        try {
            restarted.append(request("after-restart", "gpt-4o"), null).get(10, TimeUnit.SECONDS);
            assertThat(restarted.verify().ok()).as("a restart does not depend on the refused record").isTrue();
        } finally {
            restarted.stop(null, null);
        }
    }

    /** A usage record the ledger set aside is noted in the trail: the auditor sees which cost record is missing and why. */
    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aUsageRecordTheLedgerSetAsideIsNotedInTheChain(String kind) throws Exception {
        DataSource db = database(kind);
        AuditTrail trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC(),
                new SimpleMeterRegistry());
        try {
            trail.refused(new dev.fundament.storage.RecordRefused("ledger", "entry-42", "a value is longer than its column"));
            assertThat(trail.verify().ok()).isTrue();
            assertThat(chain(db)).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo("system");
                assertThat(r.action()).isEqualTo("ledger.record_refused");
                assertThat(r.target()).isEqualTo("entry-42");
                assertThat(new ObjectMapper().readTree(r.details()).get("reason").asText()).isEqualTo("a value is longer than its column");
            });
        } finally {
            trail.stop(null, null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aStandInCannotBeForged(String kind) throws Exception {
        DataSource db = database(kind);
        AuditTrail trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC(),
                new SimpleMeterRegistry());
        try {
            for (int i = 1; i <= 5; i++) {
                trail.append(request("r-" + i, i == 2 ? "m".repeat(300) : "gpt-4o"), null).get(10, TimeUnit.SECONDS);
            }
            assertThat(trail.verify().ok()).isTrue();
            // Turning a genuine record into a "rejected" one to hide what it says needs the signing key.
            sql(db, "UPDATE audit_records SET action = 'record_rejected', route = NULL, details = "
                    + "'{\"reason\":\"x\",\"seal\":\"AAAA\"}' WHERE seq = 4");
            sql(db, "UPDATE audit_records SET details = '{\"reason\":\"nothing to see\",\"seal\":\"'"
                    + " || SUBSTRING(details, POSITION('\"seal\":\"' IN details) + 8) WHERE seq = 2");
            AuditVerifier.Problem p = trail.verify().chains().getFirst().problem();
            assertThat(p.kind()).isEqualTo("MODIFIED");
            assertThat(p.seq()).as("the altered stand-in's seal no longer matches").isEqualTo(2);
        } finally {
            trail.stop(null, null);
        }
    }

    private static List<AuditRecord> chain(DataSource db) {
        JdbcAuditStore store = new JdbcAuditStore(db);
        List<AuditRecord> all = new ArrayList<>();
        store.chain(store.instances().getFirst(), all::add);
        return all;
    }

    private static void sql(DataSource db, String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}
