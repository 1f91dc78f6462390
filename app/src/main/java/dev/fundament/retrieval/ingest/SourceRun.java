package dev.fundament.retrieval.ingest;

import dev.fundament.retrieval.DocumentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One run of one source: the {@link SourceContext} its connector reports to, feeding the
 * collection's {@link Pipeline}, counting for {@link Progress}. The cursor is saved only after the
 * documents reported before it were stored, so a run that dies resumes without losing anything.
 */
public final class SourceRun implements SourceContext {

    private final Pipeline.Batch batch;
    private final DocumentStore store;
    private final String collection;
    private final String source;
    private final BooleanSupplier stopping;
    private final Clock clock;
    private final Instant startedAt;
    private volatile Instant finishedAt;
    private volatile String error;
    private final String settingsHash;
    private volatile Boolean settingsChanged;
    private final AtomicLong expected = new AtomicLong(-1);
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();

    public SourceRun(Pipeline pipeline, DocumentStore store, String source, Set<String> sourceReaders,
                     BooleanSupplier stopping, Clock clock) {
        this.settingsHash = settingsHash(pipeline.settings(), sourceReaders);
        this.store = store;
        this.collection = pipeline.settings().collection();
        this.source = source;
        this.stopping = stopping;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.batch = pipeline.batch(source, sourceReaders, (outcome, n) -> {
            seen.incrementAndGet();
            switch (outcome) {
                case INDEXED -> indexed.incrementAndGet();
                case UNCHANGED -> unchanged.incrementAndGet();
                case FAILED -> failed.incrementAndGet();
            }
            chunks.addAndGet(n);
        });
    }

    @Override
    public void upsert(SourceDocument document) {
        batch.add(document);
    }

    @Override
    public void delete(String id) {
        if (batch.delete(id)) {
            deleted.incrementAndGet();
        }
    }

    @Override
    public void failed(String id, String uri, String reason) {
        batch.failed(id, uri, reason);
    }

    /**
     * With the source's settings changed since its last complete run (readers, personal-data policy,
     * chunking, model), nothing is known and there is no cursor: the run reads everything again, and
     * the pipeline re-stores what the new settings change (without embedding unchanged text again
     * when only readers changed).
     */
    private boolean settingsChanged() {
        if (settingsChanged == null) {
            settingsChanged = !settingsHash.equals(store.settingsHash(collection, source));
        }
        return settingsChanged;
    }

    private static String settingsHash(Pipeline.Settings settings, Set<String> sourceReaders) {
        String text = settings.fingerprint() + "|" + new java.util.TreeSet<>(settings.readers()) + "|"
                + new java.util.TreeSet<>(sourceReaders);
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> known() {
        batch.flush();
        if (settingsChanged()) {
            return Map.of();
        }
        String prefix = source + ":";
        Map<String, String> out = new java.util.HashMap<>();
        store.versions(collection, source).forEach((id, version) -> out.put(id.substring(prefix.length()), version));
        return out;
    }

    @Override
    public String cursor() {
        if (settingsChanged()) {
            return null;
        }
        return store.source(collection, source).map(DocumentStore.SourceState::cursor).orElse(null);
    }

    @Override
    public void saveCursor(String cursor) {
        batch.flush();
        store.saveCursor(collection, source, cursor);
    }

    @Override
    public void expect(long documents) {
        expected.set(documents);
    }

    @Override
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** Embeds and stores what is pending. @throws Pipeline.EmbeddingFailed when the model could not take it */
    public void flush() {
        batch.flush();
    }

    /** Stores what is pending and records the run's end; {@code failure} null for success. */
    public void finish(Throwable failure) {
        try {
            batch.flush();
        } catch (RuntimeException e) {
            failure = failure != null ? failure : e;
        }
        error = failure == null ? null : failure.getMessage() != null ? failure.getMessage() : failure.toString();
        if (failure == null && !stopping.getAsBoolean()) {
            store.saveSettingsHash(collection, source, settingsHash);
        }
        finishedAt = clock.instant();
        store.recordRun(collection, source, error, finishedAt);
    }

    public Progress progress() {
        Instant end = finishedAt != null ? finishedAt : clock.instant();
        double seconds = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
        long s = seen.get();
        long e = expected.get();
        double docsRate = s / seconds;
        long eta = finishedAt != null ? 0 : e < 0 || docsRate <= 0 ? -1 : Math.round(Math.max(0, e - s) / docsRate);
        String state = finishedAt == null ? "running" : error == null ? "idle" : "failing";
        return new Progress(state, startedAt, finishedAt, e, s, indexed.get(), unchanged.get(), failed.get(), deleted.get(),
                chunks.get(), docsRate, chunks.get() / seconds, eta, error);
    }
}
