package dev.fundament.retrieval.ingest;

import dev.fundament.retrieval.DocumentStore;
import dev.fundament.retrieval.DocumentStore.StoredChunk;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.retrieval.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One collection's ingestion: extract, normalise, apply the personal-data policy, chunk, embed,
 * store. Nothing reaches the store (and so no index) before the policy has run over it.
 *
 * <p>Idempotent: a document whose content hash, readers, title and metadata match what is stored is
 * skipped; one whose content matches but whose readers or title changed is re-stored with its stored
 * vectors, without embedding again. Prepared documents wait in a small batch so that the embedding
 * model gets many chunks per call (a batch spreads across the cores; one chunk a call uses one);
 * the batch is bounded by {@link #BATCH_CHUNKS}, so memory stays flat however large the source.
 *
 * <p>An embedding failure stops the run ({@link EmbeddingFailed}) instead of marking documents
 * failed: it passes, and a source's cursor must not move past documents that were never stored.
 *
 * <p>Not thread-safe: each source run has its own {@link Batch}.
 */
public final class Pipeline {

    /** Chunks embedded per model call and held at most before they are stored. */
    static final int BATCH_CHUNKS = 64;

    /**
     * A collection's ingestion settings.
     *
     * @param readers        the collection's default readers
     * @param embeddingModel the model its chunks are embedded with
     * @param policy         the personal-data policy as text, for the settings hash
     */
    public record Settings(String collection, Set<String> readers, String embeddingModel, int maxTokens,
                           int overlapTokens, PiiFilter pii, String policy) {
        public Settings {
            readers = Set.copyOf(readers);
        }

        public Settings(String collection, Set<String> readers, String embeddingModel, int maxTokens, int overlapTokens,
                        PiiFilter pii) {
            this(collection, readers, embeddingModel, maxTokens, overlapTokens, pii, "");
        }

        /**
         * What a document's stored chunks depend on besides its content: the model, chunk sizes and
         * personal-data policy. Part of every content hash, so a change re-processes the documents.
         */
        public String fingerprint() {
            return embeddingModel + "|" + maxTokens + "|" + overlapTokens + "|" + policy;
        }
    }

    private final Settings settings;
    private final DocumentStore store;
    private final Embedder embedder;
    private final Clock clock;
    private final Extractor extractor = new Extractor();
    private final Chunker chunker;

    public Pipeline(Settings settings, DocumentStore store, Embedder embedder, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.embedder = embedder;
        this.clock = clock;
        this.chunker = new Chunker(settings.maxTokens(), settings.overlapTokens());
    }

    public Settings settings() {
        return settings;
    }

    /** What became of a document. */
    public enum Outcome { INDEXED, UNCHANGED, FAILED }

    /** A document ready to embed and store. */
    private record Prepared(StoredDocument document, List<Chunker.Piece> pieces) {
    }

    /** Counts a batch reports as it stores. */
    public interface Counter {
        void counted(Outcome outcome, int chunks);
    }

    /** Starts a batch for one source run (or one push request); call {@link Batch#flush} at the end. */
    public Batch batch(String source, Set<String> sourceReaders, Counter counter) {
        return new Batch(source, sourceReaders, counter);
    }

    /** Documents of one source on their way to the store. */
    public final class Batch {
        private final String source;
        private final Set<String> sourceReaders;
        private final Counter counter;
        private final List<Prepared> pending = new ArrayList<>();
        private int pendingChunks;

        private Batch(String source, Set<String> sourceReaders, Counter counter) {
            this.source = source;
            this.sourceReaders = Set.copyOf(sourceReaders);
            this.counter = counter;
        }

        /** Prepares a document; it is stored at the latest by {@link #flush}. */
        public void add(SourceDocument doc) {
            String id = source + ":" + doc.id();
            if (pending.stream().anyMatch(p -> p.document().id().equals(id))) {
                flush(); // an older version waits in the batch: it must be stored before this one
            }
            Set<String> readers = !doc.readers().isEmpty() ? doc.readers()
                    : !sourceReaders.isEmpty() ? sourceReaders : settings.readers();
            String sha256;
            try {
                sha256 = hash(settings.fingerprint(), doc.content());
            } catch (IOException e) {
                fail(doc, id, readers, null, "the file could not be read: " + e.getMessage());
                return;
            }
            Optional<StoredDocument> stored = store.document(settings.collection(), id);
            if (stored.isPresent() && "indexed".equals(stored.get().status()) && sha256.equals(stored.get().contentSha256())) {
                StoredDocument s = stored.get();
                Screen screen = new Screen();
                String title = doc.title() != null ? screen.apply(doc.title()) : s.title();
                Map<String, String> metadata = screen.apply(doc.metadata());
                if (s.readers().equals(readers) && s.metadata().equals(metadata) && java.util.Objects.equals(s.title(), title)) {
                    store.touch(settings.collection(), id, doc.version(), doc.modifiedAt());
                    counter.counted(Outcome.UNCHANGED, 0);
                } else {
                    SourceDocument cleaned = new SourceDocument(doc.id(), doc.uri(), title, doc.modifiedAt(), doc.version(),
                            doc.readers(), metadata, doc.content());
                    store.put(record(cleaned, id, readers, title, sha256, "indexed", null, s.pii()),
                            store.chunks(settings.collection(), id));
                    counter.counted(Outcome.INDEXED, s.chunks());
                }
                return;
            }
            Extractor.Extracted extracted;
            try {
                extracted = extractor.extract(doc.content());
            } catch (Extractor.ExtractionException e) {
                fail(doc, id, readers, sha256, e.getMessage());
                return;
            }
            List<Block> blocks = new ArrayList<>(extracted.blocks().size());
            Screen screen = new Screen();
            for (Block b : extracted.blocks()) {
                blocks.add(new Block(b.kind(), b.level(), screen.apply(b.text())));
                if (screen.refused != null) {
                    fail(doc, id, readers, sha256, screen.reason());
                    return;
                }
            }
            List<Chunker.Piece> pieces = chunker.chunk(blocks);
            if (pieces.isEmpty()) {
                fail(doc, id, readers, sha256, "no text could be extracted");
                return;
            }
            Map<String, String> metadata = screen.apply(doc.metadata());
            String title = screen.apply(doc.title() != null ? doc.title()
                    : extracted.title() != null ? extracted.title() : title(blocks, doc.id()));
            if (screen.refused != null) {
                fail(doc, id, readers, sha256, screen.reason());
                return;
            }
            doc = new SourceDocument(doc.id(), doc.uri(), title, doc.modifiedAt(), doc.version(), doc.readers(), metadata,
                    doc.content());
            String pii = screen.found.isEmpty() ? null : screen.found.toString();
            String reason = extracted.truncated() ? "text cut at " + Extractor.MAX_CHARS + " characters" : null;
            pending.add(new Prepared(record(doc, id, readers, title, sha256, "indexed", reason, pii), pieces));
            pendingChunks += pieces.size();
            if (pendingChunks >= BATCH_CHUNKS) {
                flush();
            }
        }

        /** Records a document the source could not read. */
        public void failed(String sourceId, String uri, String reason) {
            flush();
            String id = source + ":" + sourceId;
            store.put(new StoredDocument(settings.collection(), id, source, uri, null, null, null, null, clock.instant(), 0,
                    settings.readers(), Map.of(), "failed", reason, 0, null), List.of());
            counter.counted(Outcome.FAILED, 0);
        }

        /** Removes a document; @return whether it was stored */
        public boolean delete(String sourceId) {
            flush();
            return store.delete(settings.collection(), source + ":" + sourceId);
        }

        /** Embeds and stores every pending document. */
        public void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<String> texts = new ArrayList<>(pendingChunks);
            for (Prepared p : pending) {
                p.pieces().forEach(piece -> texts.add(piece.indexed()));
            }
            List<float[]> vectors;
            try {
                vectors = embedder.embed(settings.embeddingModel(), texts);
            } catch (RuntimeException e) {
                // A passing failure (the model loading, overloaded, unreachable): nothing of the batch is
                // stored, so what was indexed before stays, and the run stops before its cursor moves
                // past these documents; the next run reads them again.
                clear();
                throw new EmbeddingFailed("embedding failed (" + settings.embeddingModel() + "): " + e.getMessage(), e);
            }
            int v = 0;
            for (Prepared p : pending) {
                List<StoredChunk> chunks = new ArrayList<>(p.pieces().size());
                for (int i = 0; i < p.pieces().size(); i++) {
                    Chunker.Piece piece = p.pieces().get(i);
                    chunks.add(new StoredChunk(i, piece.heading(), piece.text(), vectors.get(v++)));
                }
                store.put(p.document(), chunks);
                counter.counted(Outcome.INDEXED, chunks.size());
            }
            clear();
        }

        private void clear() {
            pending.clear();
            pendingChunks = 0;
        }

        private void fail(SourceDocument doc, String id, Set<String> readers, String sha256, String reason) {
            store.put(record(doc, id, readers, doc.title(), sha256, "failed", reason, null), List.of());
            counter.counted(Outcome.FAILED, 0);
        }

        private StoredDocument record(SourceDocument doc, String id, Set<String> readers, String title, String sha256,
                                      String status, String reason, String pii) {
            return new StoredDocument(settings.collection(), id, source, doc.uri(), title, doc.version(), sha256,
                    doc.modifiedAt(), clock.instant(), 0, readers, doc.metadata(), status, reason, 0, pii);
        }
    }

    /** The personal-data policy over one document's texts: findings add up, the first refusal is kept. */
    private final class Screen {
        final Map<String, Integer> found = new TreeMap<>();
        Set<String> refused;

        String apply(String text) {
            PiiFilter.Result r = settings.pii().apply(text);
            r.found().forEach((category, n) -> found.merge(category, n, Integer::sum));
            if (r.blocked() && refused == null) {
                refused = r.found().keySet();
            }
            return r.text();
        }

        Map<String, String> apply(Map<String, String> values) {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            values.forEach((key, value) -> out.put(key, apply(value)));
            return out;
        }

        String reason() {
            return "not indexed: the collection's personal-data policy blocks documents containing " + String.join(", ", refused);
        }
    }

    /** The embedding model could not take a batch; the run stops and is retried, nothing is marked failed. */
    public static final class EmbeddingFailed extends RuntimeException {
        EmbeddingFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The first heading, else the last part of the source id (a file name). */
    private static String title(List<Block> blocks, String sourceId) {
        for (Block b : blocks) {
            if (b.kind() == Block.Kind.HEADING) {
                return b.text();
            }
        }
        int slash = Math.max(sourceId.lastIndexOf('/'), sourceId.lastIndexOf('\\'));
        return sourceId.substring(slash + 1);
    }

    static String hash(String fingerprint, Content content) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(fingerprint.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        switch (content) {
            case Content.Text t -> {
                sha.update((t.mediaType() == null ? "" : t.mediaType()).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(t.text().getBytes(StandardCharsets.UTF_8));
            }
            case Content.Bytes b -> {
                try (InputStream in = b.opener().open()) {
                    byte[] buffer = new byte[65536];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
