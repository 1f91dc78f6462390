package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.storage.Journal;
import dev.fundament.testing.Databases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerJournalTest {

    @TempDir
    Path dir;

    /** A database that is down for good. */
    private static final LedgerStore DOWN = new LedgerStore() {
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
            throw new IllegalStateException("database down");
        }

        @Override
        public List<LedgerEntry> unsettled(String instance) {
            throw new IllegalStateException("database down");
        }

        @Override
        public List<UsageRow> report(Dimension groupBy, LocalDate from, LocalDate to, String team) {
            throw new IllegalStateException("database down");
        }

        @Override
        public long spentSince(String scope, String id, java.time.Instant from) {
            throw new IllegalStateException("database down");
        }

        @Override
        public int countByRequestId(String requestId) {
            throw new IllegalStateException("database down");
        }

        @Override
        public List<LedgerEntry> findByRequestId(String requestId) {
            throw new IllegalStateException("database down");
        }
    };

    private Journal<LedgerEntry> journal(LedgerStore store) {
        return new Journal<>(dir, "ledger", LedgerEntry.class, store::insert, e -> e);
    }

    private static LedgerEntry entry() {
        return LedgerStoreContract.entry("2026-11-26T09:00:00Z", "sales", "gpt-4o", 10, 5, 300, 200, "drafts");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void acknowledgedRecordsSurviveADatabaseOutageAndACrashAndAreStoredOnceAtTheNextStart() throws Exception {
        Journal<LedgerEntry> crashed = journal(DOWN);
        List<LedgerEntry> entries = List.of(entry(), entry(), entry());
        List<CompletableFuture<Void>> acks = entries.stream().map(crashed::write).toList();
        for (CompletableFuture<Void> ack : acks) {
            ack.get(10, TimeUnit.SECONDS);
        }
        // The crash cut the next record short; it was never acknowledged.
        Path segment = segments().getFirst();
        byte[] written = Files.readAllBytes(segment);
        int end = 0;
        while (written[end] != 0) {
            end++;
        }
        try (var channel = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
            byte[] torn = "{\"id\":\"torn\",\"requestId\":\"req-\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            channel.write(java.nio.ByteBuffer.wrap(torn, 0, torn.length - 1), end);
        }

        LedgerStore database = new JdbcLedgerStore(Databases.h2());
        database.insert(List.of(entries.getFirst()));
        Journal<LedgerEntry> restarted = journal(database);
        try {
            for (LedgerEntry e : entries) {
                assertThat(database.countByRequestId(e.requestId())).isEqualTo(1);
            }
            assertThat(database.findByRequestId(entries.get(1).requestId()).getFirst()).isEqualTo(entries.get(1));
            assertThat(Files.exists(segment)).as("replayed segment removed").isFalse();
        } finally {
            restarted.close();
        }
        assertThat(dir.resolve("rejected.jsonl")).as("a database that is down refuses nothing: retried, not set aside")
                .doesNotExist();
    }

    @Test
    void storedRecordsAreVisibleAfterAwaitAndACleanStopLeavesNoJournal() throws Exception {
        LedgerStore database = new JdbcLedgerStore(Databases.h2());
        Journal<LedgerEntry> journal = journal(database);
        List<LedgerEntry> entries = Stream.generate(LedgerJournalTest::entry).limit(1_200).toList();
        List<CompletableFuture<Void>> acks = entries.stream().map(journal::write).toList();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        journal.awaitStored();
        assertThat(entries).allSatisfy(e -> assertThat(database.countByRequestId(e.requestId())).isEqualTo(1));
        journal.close();
        assertThat(segments()).isEmpty();
    }
}
