package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.storage.InstanceId;
import dev.fundament.storage.Journal;
import dev.fundament.storage.RecordRefused;
import dev.fundament.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The usage ledger: one durable record per request. {@link #record} completes once the entry is on
 * disk in the ledger's write-ahead journal ({@link Journal}), and the pipeline releases the
 * response only then, so every answer a client received has its ledger entry, even if the process is
 * killed right after; the journal moves entries on to the database within milliseconds. Reads through
 * {@link #store()} first wait until every acknowledged entry is in the database.
 *
 * <p>A request that calls an upstream is also {@linkplain #open opened}: an entry with status
 * {@link LedgerEntry#OPEN} goes into the same journal when it is admitted, and its settlement (the
 * entry with the same id) closes it. Open entries that reach the database before their settlement are
 * kept in {@code ledger_open} until it comes; most settle within the same database batch and are
 * never written there. What a killed process left open is read at the next start, after the journal's
 * replay and before this run opens anything ({@link #interrupted}), and settled by the gateway.
 */
@ApplicationScoped
public class Ledger {

    private final LedgerStore store;
    private final Journal<LedgerEntry> journal;
    private final Pricing pricing;
    private final LedgerStore reads;
    private final String instance;
    /** Open entries this run put in the database, to forget when they settle (the journal's store thread and recovery). */
    private final Set<String> openStored = ConcurrentHashMap.newKeySet();
    private final List<LedgerEntry> interrupted;

    @Inject
    public Ledger(Storage storage, Configuration configuration, @ConfigProperty(name = "fundament.data-dir") String dataDir,
                  MeterRegistry registry, Event<RecordRefused> refusals) {
        this(new JdbcLedgerStore(storage.dataSource()), new Pricing(configuration.spec().pricing()), Path.of(dataDir),
                registry, refusals::fire);
    }

    Ledger(LedgerStore store, Pricing pricing, Path dataDir, MeterRegistry registry) {
        this(store, pricing, dataDir, registry, refused -> { });
    }

    /** @param refusals told of each entry the database refused for good (the audit trail notes it; alerts may follow) */
    Ledger(LedgerStore store, Pricing pricing, Path dataDir, MeterRegistry registry, Consumer<RecordRefused> refusals) {
        this.store = store;
        this.pricing = pricing;
        this.instance = InstanceId.of(dataDir);
        this.journal = new Journal<>(dataDir.resolve("ledger-journal"), "ledger", LedgerEntry.class, new Journal.Store<>() {
            @Override
            public void insert(List<LedgerEntry> records) {
                store(records, true);
            }

            @Override
            public void insertNew(List<LedgerEntry> records) {
                store(records, false);
            }

            @Override
            public String id(LedgerEntry record) {
                return record.id();
            }

            @Override
            public LedgerEntry refused(LedgerEntry record, String reason) {
                // Set aside for good: the request must not come back at each start as interrupted.
                store.deleteOpen(List.of(record.id()));
                openStored.remove(record.id());
                refusals.accept(new RecordRefused("ledger", record.id(), reason));
                return null;
            }
        }, e -> e, registry);
        this.interrupted = List.copyOf(store.unsettled(instance));
        this.reads = new CaughtUp();
    }

    /** One journaled batch into the database: settled entries to the ledger, open ones kept until they settle. */
    private void store(List<LedgerEntry> records, boolean mayBeStored) {
        List<LedgerEntry> settled = new ArrayList<>(records.size());
        Set<String> settledIds = new HashSet<>();
        for (LedgerEntry e : records) {
            if (!e.isOpen()) {
                settled.add(e);
                settledIds.add(e.id());
            }
        }
        List<LedgerEntry> opened = new ArrayList<>();
        for (LedgerEntry e : records) {
            if (e.isOpen() && !settledIds.contains(e.id())) {
                opened.add(e);
            }
        }
        store.insertOpen(instance, opened);
        if (mayBeStored) {
            store.insert(settled);
        } else {
            store.insertNew(settled);
        }
        opened.forEach(e -> openStored.add(e.id()));
        List<String> closed = settledIds.stream().filter(openStored::contains).toList();
        if (!closed.isEmpty()) {
            store.deleteOpen(closed);
            closed.forEach(openStored::remove);
        }
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

    /**
     * Journals that a request started: {@code opened} has status {@link LedgerEntry#OPEN} and the id its
     * settlement will carry.
     *
     * @return completes, on the caller's event loop when it has one, once the entry is durable: the
     *         request calls upstream only then, so a kill cannot leave an upstream call unaccounted
     */
    public Uni<Void> open(LedgerEntry opened) {
        if (!opened.isOpen()) {
            throw new IllegalArgumentException("an open entry has status " + LedgerEntry.OPEN);
        }
        return record(opened);
    }

    /**
     * @return the open entries an earlier run of this instance left without a settlement (it was
     *         killed while they ran), as found at start-up
     */
    public List<LedgerEntry> interrupted() {
        return interrupted;
    }

    /**
     * Records the settlement of an interrupted request (its id is the open entry's) and, once it is
     * stored, forgets the open entry. Idempotent: the store skips an entry it has.
     */
    public void settleInterrupted(LedgerEntry settlement) {
        openStored.add(settlement.id());
        journal.write(settlement).join();
        journal.awaitStored();
    }

    /** The store, with each read waiting for the journal to catch up first. */
    private final class CaughtUp implements LedgerStore {

        @Override
        public void insert(List<LedgerEntry> entries) {
            store.insert(entries);
        }

        @Override
        public void insertOpen(String instance, List<LedgerEntry> opened) {
            store.insertOpen(instance, opened);
        }

        @Override
        public void deleteOpen(List<String> ids) {
            store.deleteOpen(ids);
        }

        @Override
        public List<LedgerEntry> unsettled(String instance) {
            journal.awaitStored();
            return store.unsettled(instance);
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
