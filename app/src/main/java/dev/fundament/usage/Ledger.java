package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.storage.Journal;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The usage ledger: one durable record per request. {@link #record} completes once the entry is on
 * disk in the ledger's write-ahead journal ({@link Journal}), and the pipeline releases the
 * response only then, so every answer a client received has its ledger entry, even if the process is
 * killed right after; the journal moves entries on to the database within milliseconds. Reads through
 * {@link #store()} first wait until every acknowledged entry is in the database.
 */
@ApplicationScoped
public class Ledger {

    private final LedgerStore store;
    private final Journal<LedgerEntry> journal;
    private final Pricing pricing;
    private final LedgerStore reads;

    @Inject
    public Ledger(Storage storage, Configuration configuration, @ConfigProperty(name = "fundament.data-dir") String dataDir) {
        this(new JdbcLedgerStore(storage.dataSource()), new Pricing(configuration.spec().pricing()),
                Path.of(dataDir).resolve("ledger-journal"));
    }

    Ledger(LedgerStore store, Pricing pricing, Path journalDir) {
        this.store = store;
        this.pricing = pricing;
        this.journal = new Journal<>(journalDir, "ledger", LedgerEntry.class, new Journal.Store<>() {
            @Override
            public void insert(List<LedgerEntry> records) {
                store.insert(records);
            }

            @Override
            public void insertNew(List<LedgerEntry> records) {
                store.insertNew(records);
            }
        }, e -> e);
        this.reads = new CaughtUp();
    }

    void stop(@Observes ShutdownEvent event) {
        journal.close();
    }

    public Pricing pricing() {
        return pricing;
    }

    /** @return the ledger's database, read only after every acknowledged entry reached it */
    public LedgerStore store() {
        return reads;
    }

    /** @return completes, on the caller's event loop when it has one, once the entry is durable */
    public Uni<Void> record(LedgerEntry entry) {
        Context context = Vertx.currentContext();
        CompletableFuture<Void> done = journal.write(entry);
        Uni<Void> committed = Uni.createFrom().completionStage(done);
        return context == null ? committed : committed.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    /** The store, with each read waiting for the journal to catch up first. */
    private final class CaughtUp implements LedgerStore {

        @Override
        public void insert(List<LedgerEntry> entries) {
            store.insert(entries);
        }

        @Override
        public List<UsageRow> report(Dimension groupBy, LocalDate from, LocalDate to, String team) {
            journal.awaitStored();
            return store.report(groupBy, from, to, team);
        }

        @Override
        public long spentSince(String scope, String id, Instant from) {
            journal.awaitStored();
            return store.spentSince(scope, id, from);
        }

        @Override
        public int countByRequestId(String requestId) {
            journal.awaitStored();
            return store.countByRequestId(requestId);
        }

        @Override
        public List<LedgerEntry> findByRequestId(String requestId) {
            journal.awaitStored();
            return store.findByRequestId(requestId);
        }
    }
}
