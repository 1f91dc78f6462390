package dev.fundament.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.AuditSpec;
import dev.fundament.testing.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes made directly in the store, past every API: each kind of damage is caught, named, and
 * located at the right record.
 */
class AuditTamperTest {

    @TempDir
    Path dir;

    DataSource db;
    AuditTrail trail;

    @BeforeEach
    void twentyRecordsAndACheckpoint() throws Exception {
        db = Databases.h2();
        trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            writes.add(trail.append(request("req-" + i, "ann", 100 * i), null));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        trail.checkpoint();
        assertThat(trail.verify().ok()).isTrue();
    }

    @AfterEach
    void close() {
        trail.stop(null, null);
    }

    static AuditRecord request(String requestId, String subject, long cost) {
        return new AuditRecord(null, 0, null, null, "request", requestId, subject, "sales", "fk-abc", "gpt-4o", "openai",
                "gpt-4o-2024-08-06", "cfg", null, 10, 5, cost, 200, 12, "req-sha", "resp-sha", null, null, null, null, null,
                null, null);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private AuditVerifier.Problem problem() {
        AuditVerifier.Report report = trail.verify();
        assertThat(report.ok()).isFalse();
        return report.chains().getFirst().problem();
    }

    @Test
    void aChangedFieldIsModified() throws Exception {
        sql("UPDATE audit_records SET cost_micros = 1 WHERE seq = 5");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("MODIFIED");
            assertThat(p.seq()).isEqualTo(5);
        });
    }

    @Test
    void aDeletedRecordIsMissing() throws Exception {
        sql("DELETE FROM audit_records WHERE seq = 7");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("DELETED");
            assertThat(p.seq()).isEqualTo(7);
            assertThat(p.message()).contains("records 7 to 7 are missing");
        });
    }

    @Test
    void deletedNewestRecordsAreCaughtByTheSignedCheckpoint() throws Exception {
        sql("DELETE FROM audit_records WHERE seq >= 18");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("DELETED");
            assertThat(p.seq()).isEqualTo(18);
        });
    }

    @Test
    void anInsertedRecordBreaksTheLinks() throws Exception {
        // make room at 10 by moving 10..20 up one, then insert a forged record 10 with a self-consistent hash
        sql("UPDATE audit_records SET seq = seq + 100 WHERE seq >= 10");
        sql("UPDATE audit_records SET seq = seq - 99 WHERE seq >= 110");
        AuditRecord nine = new JdbcAuditStore(db).bySubject("ann").stream().filter(r -> r.seq() == 9).findFirst().orElseThrow();
        AuditRecord forged = request("req-forged", "ann", 1).chained(nine.instance(), 10, nine.hash(), null);
        forged = new AuditRecord(forged.instance(), 10, "forged-id", nine.at(), forged.kind(), forged.requestId(), "ann", "sales",
                "fk-abc", "gpt-4o", "openai", "m", "cfg", null, 1, 1, 1, 200, 1, null, null, null, null, null, null, null,
                nine.hash(), null);
        forged = forged.chained(forged.instance(), 10, nine.hash(), AuditChain.hash(nine.hash(), forged));
        new JdbcAuditStore(db).insert(List.of(forged));
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("INSERTED_OR_REORDERED");
            assertThat(p.seq()).isEqualTo(11);
        });
    }

    @Test
    void swappedRecordsAreCaught() throws Exception {
        sql("UPDATE audit_records SET seq = 1000 WHERE seq = 3");
        sql("UPDATE audit_records SET seq = 3 WHERE seq = 4");
        sql("UPDATE audit_records SET seq = 4 WHERE seq = 1000");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isIn("INSERTED_OR_REORDERED", "MODIFIED");
            assertThat(p.seq()).isEqualTo(3);
        });
    }

    @Test
    void aRewrittenChainFailsAgainstTheSignedCheckpoint() throws Exception {
        // the forger recomputes every hash after changing record 12: links and hashes are consistent again
        sql("UPDATE audit_records SET cost_micros = 1 WHERE seq = 12");
        JdbcAuditStore store = new JdbcAuditStore(db);
        String instance = store.instances().getFirst();
        List<AuditRecord> all = new ArrayList<>();
        store.chain(instance, all::add);
        String prev = all.get(10).hash();
        for (AuditRecord r : all.subList(11, all.size())) {
            AuditRecord relinked = r.chained(r.instance(), r.seq(), prev, null);
            String hash = AuditChain.hash(prev, relinked);
            sql("UPDATE audit_records SET prev_hash = '" + prev + "', hash = '" + hash + "' WHERE seq = " + r.seq());
            prev = hash;
        }
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("MODIFIED");
            assertThat(p.seq()).isEqualTo(20);
            assertThat(p.message()).contains("signed checkpoint");
        });
    }

    /*
     * A hostile-user test found three tamperings that verification missed, because the only evidence
     * of how far the chain reached was in the same database: deleting the newest records together with
     * the newest checkpoint, rewriting the chain and deleting every checkpoint, and deleting every
     * record. Each checkpoint is now also witnessed in <data>/audit-witness.log.
     */

    @Test
    void deletingTheNewestRecordsAndTheirCheckpointIsCaughtByTheWitness() throws Exception {
        sql("DELETE FROM audit_records WHERE seq >= 18");
        sql("DELETE FROM audit_checkpoints");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("DELETED");
            assertThat(p.seq()).isEqualTo(18);
            assertThat(p.message()).contains("the chain ends at record 17").contains("audit-witness.log")
                    .contains("records 18 to 20 were removed");
        });
    }

    @Test
    void aRewrittenChainWithoutCheckpointsIsCaughtByTheWitness() throws Exception {
        rewriteFrom12();
        sql("DELETE FROM audit_checkpoints");
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("MODIFIED");
            assertThat(p.seq()).isEqualTo(20);
            assertThat(p.message()).contains("witnessed").contains("rewritten");
        });
    }

    @Test
    void aRewrittenChainIsCaughtEvenAfterANewCheckpointSignsIt() throws Exception {
        // The instance keeps running: its next checkpoint signs whatever the database now holds.
        rewriteFrom12();
        sql("DELETE FROM audit_checkpoints");
        trail.stop(null, null);
        trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC());
        trail.append(request("req-21", "ann", 1), null).get(10, TimeUnit.SECONDS);
        trail.checkpoint();
        assertThat(problem()).satisfies(p -> {
            assertThat(p.kind()).isEqualTo("MODIFIED");
            assertThat(p.seq()).isEqualTo(20);
        });
    }

    @Test
    void anEmptiedChainIsCaughtByTheWitness() throws Exception {
        sql("DELETE FROM audit_records");
        sql("DELETE FROM audit_checkpoints");
        AuditVerifier.Report report = trail.verify();
        assertThat(report.ok()).isFalse();
        assertThat(report.chains()).singleElement().satisfies(c -> {
            assertThat(c.records()).isZero();
            assertThat(c.witnessed()).isEqualTo(20);
            assertThat(c.problem().kind()).isEqualTo("DELETED");
            assertThat(c.problem().seq()).isEqualTo(1);
            assertThat(c.problem().message()).contains("the chain is empty");
        });
    }

    @Test
    void anUntamperedChainVerifiesAgainstEveryWitness() throws Exception {
        for (int i = 21; i <= 25; i++) {
            trail.append(request("req-" + i, "ann", i), null).get(10, TimeUnit.SECONDS);
        }
        trail.checkpoint();
        trail.checkpoint(); // nothing new: no second line for the same record
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("audit-witness.log"))).hasSize(2);
        AuditVerifier.Report report = trail.verify();
        assertThat(report.ok()).isTrue();
        assertThat(report.chains().getFirst().witnessed()).isEqualTo(25);
        assertThat(report.chains().getFirst().lastSeq()).isEqualTo(25);
    }

    @Test
    void aForgedWitnessLineIsCaught() throws Exception {
        String instance = new JdbcAuditStore(db).instances().getFirst();
        java.nio.file.Files.writeString(dir.resolve("audit-witness.log"), "{\"instance\":\"" + instance + "\",\"seq\":5,"
                + "\"hash\":\"" + "f".repeat(64) + "\",\"at\":\"2026-01-01T00:00:00Z\",\"signature\":\"AAAA\","
                + "\"public_key\":\"AAAA\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(problem().kind()).isEqualTo("BAD_CHECKPOINT");
    }

    /** The forger changes record 12 and recomputes every hash after it: links and hashes agree again. */
    private void rewriteFrom12() throws Exception {
        sql("UPDATE audit_records SET cost_micros = 1 WHERE seq = 12");
        JdbcAuditStore store = new JdbcAuditStore(db);
        String instance = store.instances().getFirst();
        List<AuditRecord> all = new ArrayList<>();
        store.chain(instance, all::add);
        String prev = all.get(10).hash();
        for (AuditRecord r : all.subList(11, all.size())) {
            AuditRecord relinked = r.chained(r.instance(), r.seq(), prev, null);
            String hash = AuditChain.hash(prev, relinked);
            sql("UPDATE audit_records SET prev_hash = '" + prev + "', hash = '" + hash + "' WHERE seq = " + r.seq());
            prev = hash;
        }
    }

    @Test
    void aForgedCheckpointIsCaught() throws Exception {
        sql("UPDATE audit_checkpoints SET signature = 'AAAA" + "A".repeat(80) + "'");
        assertThat(problem().kind()).isEqualTo("BAD_CHECKPOINT");
    }
}
