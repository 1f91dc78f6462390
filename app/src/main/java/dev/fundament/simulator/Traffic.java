package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one simulator has seen, shared by all its event loops: a request count, the number of open
 * streams, the number of connections, and the last {@value #KEPT} request bodies, so tests can assert
 * what the upstream received.
 *
 * <p>Lock-free, because every request of every event loop passes through here: the bodies sit in a
 * ring of {@value #SLOTS} slots indexed by a sequence number. Each slot remembers the sequence number
 * it was written for, so a reader skips a slot that a concurrent writer has claimed but not filled yet,
 * or has already reused, instead of returning a body out of order. Bodies are never mutated after they
 * are recorded.
 */
final class Traffic {

    static final int KEPT = 100;
    private static final int SLOTS = 128;

    private record Entry(long sequence, JsonNode body) {
    }

    private final AtomicReferenceArray<Entry> ring = new AtomicReferenceArray<>(SLOTS);
    private final AtomicLong recorded = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger stalled = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();

    void countRequest() {
        requests.increment();
    }

    /** @return the ordinal of a connection that sends its first inference request: 0, 1, 2, ... */
    long nextConnectionOrdinal() {
        return connections.getAndIncrement();
    }

    void record(JsonNode body) {
        long sequence = recorded.getAndIncrement();
        ring.set((int) (sequence & (SLOTS - 1)), new Entry(sequence, body));
    }

    void streamOpened() {
        streams.incrementAndGet();
    }

    private final LongAdder chunks = new LongAdder();

    void chunkSent() {
        chunks.increment();
    }

    long chunksSent() {
        return chunks.sum();
    }

    void streamStalled() {
        stalled.incrementAndGet();
    }

    void streamResumed() {
        stalled.decrementAndGet();
    }

    int stalledStreams() {
        return stalled.get();
    }

    void streamClosed() {
        streams.decrementAndGet();
    }

    /** @return up to the last {@value #KEPT} recorded bodies, oldest first */
    List<JsonNode> recent() {
        long end = recorded.get();
        List<JsonNode> out = new ArrayList<>(KEPT);
        for (long s = Math.max(0, end - KEPT); s < end; s++) {
            Entry e = ring.get((int) (s & (SLOTS - 1)));
            if (e != null && e.sequence() == s) {
                out.add(e.body());
            }
        }
        return Collections.unmodifiableList(out);
    }

    long requestCount() {
        return requests.sum();
    }

    int activeStreams() {
        return streams.get();
    }
}
