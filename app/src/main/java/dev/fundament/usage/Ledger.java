package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;

/**
 * The usage ledger: one durable record per request. {@link #record} completes once the entry is
 * committed to the database, and the pipeline releases the response only then, so every answer a
 * client received has its ledger entry, even if the process is killed right after.
 */
@ApplicationScoped
public class Ledger {

    private final LedgerStore store;
    private final LedgerWriter writer;
    private final Pricing pricing;

    @Inject
    public Ledger(Storage storage, Configuration configuration) {
        this(new JdbcLedgerStore(storage.dataSource()), new Pricing(configuration.spec().pricing()));
    }

    Ledger(LedgerStore store, Pricing pricing) {
        this.store = store;
        this.pricing = pricing;
        this.writer = new LedgerWriter(store);
    }

    void stop(@Observes ShutdownEvent event) {
        writer.close();
    }

    public Pricing pricing() {
        return pricing;
    }

    public LedgerStore store() {
        return store;
    }

    /** @return completes, on the caller's event loop when it has one, once the entry is committed */
    public Uni<Void> record(LedgerEntry entry) {
        Context context = Vertx.currentContext();
        CompletableFuture<Void> done = writer.write(entry);
        Uni<Void> committed = Uni.createFrom().completionStage(done);
        return context == null ? committed : committed.emitOn(task -> context.runOnContext(v -> task.run()));
    }
}
