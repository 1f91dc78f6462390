package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.storage.Journal;
import dev.fundament.testing.Columns;
import dev.fundament.testing.Databases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every text field of a ledger entry against its column in the migrated schema. The ledger clips
 * nothing: each field is either bounded before it is journaled (the edge's request validation, the
 * ids and codes Fundament makes itself) or, should a longer value get through, the entry is set aside
 * by the journal while the entries around it are stored. This test writes, for every text column, an
 * entry one character too long and one exactly as long as the column, and fails if a field has no
 * column or a too-long value wedges the journal.
 */
class LedgerColumnsTest {

    @TempDir
    Path dir;

    @Test
    void everyTextFieldFitsItsColumnOrItsEntryIsSetAside() throws Exception {
        DataSource db = Databases.h2();
        Map<String, Integer> widths = Columns.widths(db, "ledger");
        LedgerStore database = new JdbcLedgerStore(db);
        Journal<LedgerEntry> journal = new Journal<>(dir, "ledger", LedgerEntry.class, database::insert, e -> e,
                new SimpleMeterRegistry());
        List<LedgerEntry> tooLong = new ArrayList<>();
        List<LedgerEntry> fitting = new ArrayList<>();
        for (RecordComponent c : LedgerEntry.class.getRecordComponents()) {
            if (c.getType() != String.class) {
                continue;
            }
            String column = Columns.column(c);
            assertThat(widths).as("ledger has a text column for LedgerEntry.%s", c.getName()).containsKey(column);
            int width = widths.get(column);
            if (!c.getName().equals("id")) {
                tooLong.add(Columns.with(template(), c.getName(), "x".repeat(width + 1)));
            }
            fitting.add(Columns.with(template(), c.getName(), c.getName().equals("id") ? UUID.randomUUID().toString()
                    : "y".repeat(width)));
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < fitting.size(); i++) {
            if (i < tooLong.size()) {
                acks.add(journal.write(tooLong.get(i)));
            }
            acks.add(journal.write(fitting.get(i)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        journal.close();

        assertThat(Files.readAllLines(dir.resolve("rejected.jsonl"))).as("one dead letter per too-long field")
                .hasSize(tooLong.size());
        List<String> stored = new ArrayList<>();
        try (var c = db.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT id FROM ledger")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).as("every entry whose fields fit is stored")
                .containsExactlyInAnyOrderElementsOf(fitting.stream().map(LedgerEntry::id).toList());
    }

    private static LedgerEntry template() {
        return new LedgerEntry(UUID.randomUUID().toString(), "req-" + UUID.randomUUID(), java.time.Instant.now(), "ann",
                "sales", "key-1", "fk-1", "drafts", "chat", "gpt-4o", "openai", "gpt-4o", 10, 5, 0, false, 300, "EUR", 12, 200,
                null, false, false, false, "hash");
    }
}
