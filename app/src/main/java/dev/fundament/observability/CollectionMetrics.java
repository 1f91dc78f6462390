package dev.fundament.observability;

import dev.fundament.retrieval.Collection;
import dev.fundament.retrieval.Collections;
import dev.fundament.retrieval.DocumentStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Company data on {@code /q/metrics}: per collection, its indexed and failed documents, its chunks in
 * the store and in this instance's index (a gap is the index catching up), and per source whether
 * its last run failed ({@code fundament_collection_source_failing}), so an alert can fire when a
 * connector stops reaching its server. Collections made through the API get their gauges when they
 * appear (checked every 30 s). Each scrape reads the counts from the store.
 */
@ApplicationScoped
public class CollectionMetrics {

    private final MeterRegistry registry;
    private final Collections collections;
    private final Set<String> registered = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fundament-collection-metrics");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public CollectionMetrics(MeterRegistry registry, Collections collections) {
        this.registry = registry;
        this.collections = collections;
    }

    void start(@Observes StartupEvent event) {
        register();
        timer.scheduleWithFixedDelay(this::register, 30, 30, TimeUnit.SECONDS);
    }

    synchronized void register() {
        for (Collection c : collections.list()) {
            if (!registered.add(c.name())) {
                continue;
            }
            String name = c.name();
            Gauge.builder("fundament_collection_documents", () -> count(name, "indexed")).tag("collection", name)
                    .tag("status", "indexed").description("Documents stored for search").register(registry);
            Gauge.builder("fundament_collection_documents", () -> count(name, "failed")).tag("collection", name)
                    .tag("status", "failed").description("Documents that could not be indexed").register(registry);
            Gauge.builder("fundament_collection_chunks", () -> count(name, "chunks")).tag("collection", name)
                    .tag("where", "store").description("Chunks in the store of record").register(registry);
            Gauge.builder("fundament_collection_chunks", () -> count(name, "index")).tag("collection", name)
                    .tag("where", "index").description("Chunks in this instance's index").register(registry);
            for (var s : c.spec().sources()) {
                String source = s.name();
                Gauge.builder("fundament_collection_source_failing", () -> failing(name, source)).tag("collection", name)
                        .tag("source", source).description("1 when the source's last run failed").register(registry);
            }
        }
    }

    /** One store query (or one index count) per gauge and scrape, not a whole status each. */
    private double count(String collection, String what) {
        if (collections.find(collection).isEmpty()) {
            return Double.NaN;
        }
        try {
            if (what.equals("index")) {
                return collections.indexedChunks(collection);
            }
            DocumentStore.Counts counts = collections.store().counts(collection);
            return switch (what) {
                case "indexed" -> counts.indexed();
                case "failed" -> counts.failed();
                default -> counts.chunks();
            };
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double failing(String collection, String source) {
        return collections.store().source(collection, source).filter(s -> "failing".equals(s.status())).isPresent() ? 1 : 0;
    }
}
