package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.config.PricingSpec;
import dev.fundament.storage.Journal;
import dev.fundament.testing.Databases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat request whose model name was longer than the ledger's column (201 characters and more) was
 * journaled, and then the journal's store thread retried the batch forever on "Value too long for
 * column MODEL": no later entry reached the database, usage reports waited 30 s each, a stop took
 * 92 s and the next start failed on the same record. A record the database refuses for good is now
 * set aside (dead-letter file, metric, one log line) and everything else goes on; a start replays
 * around it.
 */
class LedgerQuarantineTest {

    @TempDir
    Path dir;

    private static LedgerEntry entry(String model) {
        return new LedgerEntry(UUID.randomUUID().toString(), "req-" + UUID.randomUUID(), java.time.Instant.now(), "ann",
                "sales", "key-1", "fk-1", null, "chat", model, "openai", "gpt-4o", 10, 5, 0, false, 300, "EUR", 12, 404,
                "model_not_found", false, false, false, "hash");
    }

    private static double rejected(SimpleMeterRegistry registry) {
        var counter = registry.find("fundament.journal.rejected").tag("journal", "ledger").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRecordTheDatabaseRefusesIsSetAsideAndTheRecordsAfterItAreStored() throws Exception {
        LedgerStore database = new JdbcLedgerStore(Databases.h2());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Journal<LedgerEntry> journal = new Journal<>(dir, "ledger", LedgerEntry.class, database::insert, e -> e, registry);
        LedgerEntry before = entry("gpt-4o");
        LedgerEntry hostile = entry("m".repeat(201));
        List<LedgerEntry> after = List.of(entry("gpt-4o"), entry("gpt-4o-mini"), entry("x".repeat(200)));
        journal.write(before).get(10, TimeUnit.SECONDS);
        journal.write(hostile).get(10, TimeUnit.SECONDS);
        CompletableFuture.allOf(after.stream().map(journal::write).toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        long start = System.nanoTime();
        journal.awaitStored();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("reads do not wait for the refused record")
                .isLessThan(20);
        assertThat(database.countByRequestId(before.requestId())).isEqualTo(1);
        after.forEach(e -> assertThat(database.countByRequestId(e.requestId())).as("stored after the refused one").isEqualTo(1));
        assertThat(database.countByRequestId(hostile.requestId())).isZero();

        List<String> lines = Files.readAllLines(dir.resolve("rejected.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertThat(line.get("journal").asText()).isEqualTo("ledger");
        assertThat(line.get("reason").asText()).isEqualTo("a value is longer than its column (SQL state 22001)");
        assertThat(line.at("/record/id").asText()).isEqualTo(hostile.id());
        assertThat(line.at("/record/model").asText()).hasSize(201);
        assertThat(rejected(registry)).isEqualTo(1.0);

        journal.close();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("a clean stop leaves only the dead letters")
                    .containsExactly("rejected.jsonl");
        }
    }

    /**
     * The data directory the issue left behind: journal segments holding a record the database
     * refuses, from a run that never stored it. The start replays around it instead of failing.
     */
    @Test
    void aStartReplaysAroundARefusedRecord() throws Exception {
        LedgerStore down = new LedgerStore() {
            @Override
            public void insert(List<LedgerEntry> entries) {
                throw new IllegalStateException("database down");
            }

            @Override
            public void insertOpen(String instance, List<LedgerEntry> opened) {
                throw new IllegalStateException("database down");
            }

            @Override
            public void deleteOpen(List<String> ids) {
            }

            @Override
            public List<LedgerEntry> unsettled(String instance) {
                return List.of();
            }

            @Override
            public List<UsageRow> report(Dimension groupBy, java.time.LocalDate from, java.time.LocalDate to, String team) {
                return List.of();
            }

            @Override
            public long spentSince(String scope, String id, java.time.Instant from) {
                return 0;
            }

            @Override
            public int countByRequestId(String requestId) {
                return 0;
            }

            @Override
            public List<LedgerEntry> findByRequestId(String requestId) {
                return List.of();
            }
        };
        Journal<LedgerEntry> crashed = new Journal<>(dir, "ledger", LedgerEntry.class, down::insert, e -> e,
                new SimpleMeterRegistry());
        LedgerEntry good = entry("gpt-4o");
        LedgerEntry hostile = entry("m".repeat(5_000));
        LedgerEntry later = entry("gpt-4o");
        for (LedgerEntry e : List.of(good, hostile, later)) {
            crashed.write(e).get(10, TimeUnit.SECONDS);
        }
        // no close: the process died with all three only in the journal

        LedgerStore database = new JdbcLedgerStore(Databases.h2());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Journal<LedgerEntry> restarted = new Journal<>(dir, "ledger", LedgerEntry.class, database::insert, e -> e, registry);
        try {
            assertThat(database.countByRequestId(good.requestId())).isEqualTo(1);
            assertThat(database.countByRequestId(later.requestId())).isEqualTo(1);
            assertThat(database.countByRequestId(hostile.requestId())).isZero();
            assertThat(Files.readString(dir.resolve("rejected.jsonl"))).contains(hostile.id());
            assertThat(rejected(registry)).isEqualTo(1.0);
        } finally {
            restarted.close();
        }
    }

    /**
     * Of 914 requests with a kill -9 mid-run, 8 streams cut by the kill had no ledger entry: their
     * upstream calls went unaccounted. A request is now opened in the ledger's journal when it is
     * admitted; a start after a crash finds what was opened and never settled, once.
     */
    @Test
    void aRequestOpenedAndNeverSettledIsFoundAtTheNextStartOnce() throws Exception {
        DataSource db = Databases.h2();
        LedgerStore database = new JdbcLedgerStore(db);
        Ledger crashed = new Ledger(database, new Pricing(PricingSpec.DEFAULTS), dir, new SimpleMeterRegistry());
        LedgerEntry cut = open("stream-cut-by-kill", 4_096_000);
        LedgerEntry finished = open("finished", 1_000);
        crashed.open(cut).await().atMost(java.time.Duration.ofSeconds(10));
        crashed.open(finished).await().atMost(java.time.Duration.ofSeconds(10));
        crashed.record(settlement(finished, 200)).await().atMost(java.time.Duration.ofSeconds(10));
        crashed.store().countByRequestId("finished"); // the open entries are in the database
        // killed: no close

        Ledger restarted = new Ledger(database, new Pricing(PricingSpec.DEFAULTS), dir, new SimpleMeterRegistry());
        assertThat(restarted.interrupted()).as("only the request without a settlement").singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo(cut.id());
            assertThat(o.costMicros()).isEqualTo(4_096_000);
            assertThat(o.stream()).isTrue();
        });
        restarted.settleInterrupted(settlement(restarted.interrupted().getFirst(), 499));
        assertThat(database.findByRequestId("stream-cut-by-kill")).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(499);
            assertThat(e.costMicros()).isEqualTo(4_096_000);
        });

        Ledger again = new Ledger(database, new Pricing(PricingSpec.DEFAULTS), dir, new SimpleMeterRegistry());
        assertThat(again.interrupted()).as("settled once; nothing open at the second start").isEmpty();
        assertThat(database.countByRequestId("stream-cut-by-kill")).isEqualTo(1);
        assertThat(database.countByRequestId("finished")).isEqualTo(1);
        try (var c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM ledger_open")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no open request is kept").isZero();
        }
    }

    /** A usage record set aside is announced (the audit trail notes it, alerts may follow), by id and reason only. */
    @Test
    void aRefusedEntryIsAnnouncedWithItsIdAndReason() throws Exception {
        List<dev.fundament.storage.RecordRefused> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ledger ledger = new Ledger(new JdbcLedgerStore(Databases.h2()), new Pricing(PricingSpec.DEFAULTS), dir.resolve("announced"),
                new SimpleMeterRegistry(), refusals::add);
        LedgerEntry hostile = entry("m".repeat(201));
        ledger.record(hostile).await().atMost(java.time.Duration.ofSeconds(10));
        assertThat(ledger.store().countByRequestId(hostile.requestId())).as("read after the journal caught up").isZero();
        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.journal()).isEqualTo("ledger");
            assertThat(r.id()).isEqualTo(hostile.id());
            assertThat(r.reason()).isEqualTo("a value is longer than its column (SQL state 22001)");
        });
    }

    /** A crash before the store thread moved the open entry into the database: the journal's replay finds it. */
    @Test
    void anOpenEntryOnlyInTheJournalIsFoundToo() throws Exception {
        DataSource db = Databases.h2();
        Path data = dir.resolve("data");
        Journal<LedgerEntry> crashed = new Journal<>(data.resolve("ledger-journal"), "ledger", LedgerEntry.class, e -> {
            throw new IllegalStateException("database down");
        }, e -> e, new SimpleMeterRegistry());
        LedgerEntry cut = open("only-journaled", 5_000);
        crashed.write(cut).get(10, TimeUnit.SECONDS);

        Ledger restarted = new Ledger(new JdbcLedgerStore(db), new Pricing(PricingSpec.DEFAULTS), data,
                new SimpleMeterRegistry());
        assertThat(restarted.interrupted()).extracting(LedgerEntry::id).containsExactly(cut.id());
    }

    private static LedgerEntry open(String requestId, long worstCase) {
        return new LedgerEntry(UUID.randomUUID().toString(), requestId, java.time.Instant.now(), "ann", "sales", "key-1",
                "fk-1", null, "chat", "gpt-4o", null, null, 0, 0, 0, true, worstCase, "EUR", 0, LedgerEntry.OPEN, null, true,
                false, false, "hash");
    }

    private static LedgerEntry settlement(LedgerEntry o, int status) {
        return new LedgerEntry(o.id(), o.requestId(), o.at(), o.subject(), o.team(), o.keyId(), o.keyPrefix(), o.useCase(),
                o.operation(), o.model(), "openai", "gpt-4o", 10, 5, 0, status != 200, o.costMicros(), o.currency(), 12, status,
                status == 200 ? null : "interrupted", o.stream(), status != 200, false, o.configHash());
    }
}
