package dev.fundament.retrieval.source;

import dev.fundament.retrieval.ingest.SourceContext;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A {@link SourceContext} that records what a connector reports, in order, and keeps the known
 * documents and the cursor as the pipeline would: an upsert makes a document known, a delete forgets
 * it. Safe to call from the connector's own threads (change capture reports from Debezium's).
 */
final class RecordingContext implements SourceContext {

    /** One report, in the order it arrived. */
    record Event(String kind, String id, SourceDocument document) {
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, String> known = new LinkedHashMap<>();
    private final List<String> cursors = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private String cursor;

    RecordingContext() {
        this(null, Map.of());
    }

    /** A context that continues from where an earlier one ended. */
    RecordingContext(String cursor, Map<String, String> known) {
        this.cursor = cursor;
        this.known.putAll(known);
    }

    @Override
    public synchronized void upsert(SourceDocument document) {
        events.add(new Event("upsert", document.id(), document));
        known.put(document.id(), String.valueOf(document.version()));
        notifyAll();
    }

    @Override
    public synchronized void delete(String id) {
        events.add(new Event("delete", id, null));
        known.remove(id);
        notifyAll();
    }

    @Override
    public synchronized void failed(String id, String uri, String reason) {
        events.add(new Event("failed", id + " " + reason, null));
        notifyAll();
    }

    @Override
    public synchronized Map<String, String> known() {
        return Map.copyOf(known);
    }

    @Override
    public synchronized String cursor() {
        return cursor;
    }

    @Override
    public synchronized void saveCursor(String cursor) {
        this.cursor = cursor;
        cursors.add(cursor);
        notifyAll();
    }

    @Override
    public void expect(long documents) {
    }

    @Override
    public boolean stopping() {
        return stopping.get();
    }

    void stop() {
        stopping.set(true);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> cursors() {
        return List.copyOf(cursors);
    }

    /** The upserted documents by id, the last version of each. */
    synchronized Map<String, SourceDocument> upserts() {
        Map<String, SourceDocument> out = new LinkedHashMap<>();
        events.stream().filter(e -> e.kind().equals("upsert")).forEach(e -> out.put(e.id(), e.document()));
        return out;
    }

    /** Reports in order as {@code upsert:id}, {@code delete:id}, {@code failed:id reason}. */
    synchronized List<String> log() {
        return events.stream().map(e -> e.kind() + ":" + e.id()).toList();
    }

    synchronized Map<String, String> knownNow() {
        return Map.copyOf(known);
    }

    /**
     * Waits until {@code condition} holds, woken by every report and re-checked at least every 50 ms;
     * fails with {@code what} and the reports so far at the deadline.
     */
    void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; reported: " + log());
            }
            synchronized (this) {
                wait(50);
            }
        }
    }
}
