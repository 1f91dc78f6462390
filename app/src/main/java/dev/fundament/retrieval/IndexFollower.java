package dev.fundament.retrieval;

import dev.fundament.retrieval.DocumentStore.Change;
import dev.fundament.retrieval.DocumentStore.StoredChunk;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's Lucene index in step with the store of record by following its change log.
 * A change names a document; the follower reads the document's current state (so replaying a change
 * twice, or applying an old one late, cannot put stale chunks back) and writes it to the index
 * together with the log position, in one Lucene commit.
 *
 * <p>Gaps: sequence numbers are handed out when a transaction inserts, not when it commits, so a
 * reader may see 7 before 6 exists. The follower stops before a gap and waits for it to fill; a gap
 * older than {@link #GAP_WAIT} is a rolled-back transaction's and is passed.
 */
final class IndexFollower {

    private static final Logger LOG = Logger.getLogger(IndexFollower.class);
    static final Duration GAP_WAIT = Duration.ofSeconds(10);
    static final int PAGE = 256;

    private final DocumentStore store;
    private final HybridIndex index;
    private final Clock clock;
    private Instant gapSince;
    private long applied;

    IndexFollower(DocumentStore store, HybridIndex index, Clock clock) {
        this.store = store;
        this.index = index;
        this.clock = clock;
        this.applied = index.position();
    }

    /** Applies the changes available now; @return how many were applied */
    synchronized int poll() {
        int total = 0;
        while (true) {
            List<Change> page = store.changesAfter(applied, PAGE);
            List<Change> usable = contiguous(page);
            if (usable.isEmpty()) {
                return total;
            }
            apply(usable);
            total += usable.size();
            if (usable.size() < page.size() || page.size() < PAGE) {
                return total;
            }
        }
    }

    synchronized long position() {
        return applied;
    }

    private List<Change> contiguous(List<Change> page) {
        List<Change> out = new ArrayList<>();
        long expected = applied + 1;
        for (Change c : page) {
            if (c.seq() != expected) {
                Instant now = clock.instant();
                if (gapSince == null) {
                    gapSince = now;
                }
                if (Duration.between(gapSince, now).compareTo(GAP_WAIT) < 0) {
                    break;
                }
                LOG.debugf("passing change-log gap %d..%d", expected, c.seq() - 1);
            }
            gapSince = null;
            out.add(c);
            expected = c.seq() + 1;
        }
        return out;
    }

    private void apply(List<Change> changes) {
        Map<String, HybridIndex.Change> latest = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.document() == null) {
                latest.entrySet().removeIf(e -> e.getKey().startsWith(c.collection() + '\u0000'));
                latest.put(c.collection() + "\u0000\u0000drop" + c.seq(), new HybridIndex.Change.Drop(c.collection()));
            } else {
                String key = c.collection() + '\u0000' + c.document();
                latest.remove(key);
                latest.put(key, replacement(c.collection(), c.document()));
            }
        }
        index.apply(new ArrayList<>(latest.values()), changes.get(changes.size() - 1).seq());
        applied = changes.get(changes.size() - 1).seq();
    }

    private HybridIndex.Change replacement(String collection, String document) {
        Optional<StoredDocument> d = store.document(collection, document);
        if (d.isEmpty() || !"indexed".equals(d.get().status())) {
            return new HybridIndex.Change.Replace(collection, document, List.of());
        }
        List<Chunk> chunks = new ArrayList<>();
        for (StoredChunk c : store.chunks(collection, document)) {
            chunks.add(chunk(d.get(), c));
        }
        return new HybridIndex.Change.Replace(collection, document, chunks);
    }

    static Chunk chunk(StoredDocument d, StoredChunk c) {
        Map<String, String> metadata = new LinkedHashMap<>(d.metadata());
        metadata.put("source", d.source());
        if (d.uri() != null) {
            metadata.put("uri", d.uri());
        }
        if (c.heading() != null && !c.heading().isEmpty()) {
            metadata.put("heading", c.heading());
        }
        metadata.put("ordinal", Integer.toString(c.ordinal()));
        String text = c.heading() == null || c.heading().isEmpty() ? c.text() : c.heading() + "\n" + c.text();
        Set<String> readers = new LinkedHashSet<>(d.readers());
        return new Chunk(d.id() + "#" + c.ordinal(), d.id(), d.collection(), d.title(), text, c.vector(), readers, metadata);
    }
}
