package dev.fundament.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;

/**
 * Chunks of company documents in one Lucene index: the text for BM25, the embedding for approximate
 * nearest-neighbour search (HNSW), and the readers for access control. Company documents mix English
 * and German, so each chunk is analysed in its own language when its function words tell it
 * ({@link TextLanguage}), and in both when they do not (short or mixed text); a query is analysed
 * both ways and each chunk matches in the field it has.
 *
 * <p>A search runs both and fuses them by score: each search's candidates get their scores
 * min-max normalised to [0, 1] (the best candidate 1, the weakest 0), and a chunk's score is the mean
 * of its two normalised scores, a chunk missing from one search's candidates counting 0 there. The
 * normalisation puts BM25 scores (unbounded, and on another scale for every query) and cosine
 * similarities (which crowd in a narrow band) on one scale per query; the equal weights are the
 * neutral choice, not one fitted to a test set. Reciprocal-rank fusion, used before, needs no
 * normalisation but keeps only the ranks: a chunk far ahead in one search and one barely ahead count
 * the same. Keeping the margins measured better on BEIR SciFact, on its dev and its train queries
 * alike (docs/retrieval.md, ADR 0010), in line with Bruch et al., "An Analysis of Fusion Functions for
 * Hybrid Retrieval" (ACM TOIS, 2023). A search with only text or only a vector ranks by that search's
 * normalised score.
 *
 * <p>Access control is part of every query, as a filter on the chunk's readers, for the text search
 * and inside the vector search alike: a chunk the caller may not read is never scored, so it cannot
 * show up as a result, a snippet, a citation or in a count, and cannot push readable chunks out of
 * the candidates (or shift the normalisation) either.
 *
 * <p>Thread-safe: writes go through one {@link IndexWriter}; searches use the latest refreshed view.
 */
public final class HybridIndex implements AutoCloseable {

    /** How many candidates each of the two searches contributes before fusion. */
    static final int CANDIDATES = 100;
    /** The text search's share of a fused score; the vector search has the rest. Equal: neither is preferred. */
    static final double TEXT_WEIGHT = 0.5;

    private static final String ID = "id";
    private static final String DOCUMENT = "document";
    private static final String COLLECTION = "collection";
    private static final String READERS = "readers";
    private static final String TITLE = "title";
    private static final String TEXT = "text";
    private static final String TEXT_EN = "text_en";
    private static final String TEXT_DE = "text_de";
    /** Vectors live in one field per dimension count ({@code vector_384}): collections may use different models. */
    private static final String VECTOR = "vector_";
    private static final String METADATA = "metadata";
    private static final String FILTER_PREFIX = "meta.";
    private static final String POSITION = "position";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Analyzer analyzer;
    private final List<String> textFields;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    /** An index that analyses text as English and as German. */
    public HybridIndex(Directory directory) {
        this(directory, List.of("en", "de"));
    }

    /** @param languages {@code en} and/or {@code de}: the analyses the text gets and queries search */
    public HybridIndex(Directory directory, List<String> languages) {
        this.analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(),
                Map.of(TEXT_EN, new EnglishAnalyzer(), TEXT_DE, new GermanAnalyzer()));
        this.textFields = fields(languages);
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the retrieval index", e);
        }
    }

    /** Replaces all chunks of each document named in {@code chunks} by the given ones, then makes them searchable. */
    public void put(Collection<Chunk> chunks) {
        Map<String, List<Document>> byDocument = new HashMap<>();
        for (Chunk c : chunks) {
            byDocument.computeIfAbsent(key(c.collection(), c.document()), k -> new ArrayList<>()).add(document(c));
        }
        try {
            for (Map.Entry<String, List<Document>> e : byDocument.entrySet()) {
                writer.updateDocuments(new Term(DOCUMENT, e.getKey()), e.getValue());
            }
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the retrieval index", e);
        }
    }

    /** One change for {@link #apply}. */
    public sealed interface Change {
        /** Replaces every chunk of the document by these (none: the document leaves the index). */
        record Replace(String collection, String document, List<Chunk> chunks) implements Change {
        }

        /** Removes every chunk of the collection. */
        record Drop(String collection) implements Change {
        }
    }

    /**
     * Applies changes and records {@code position} (how far along the store's change log this index
     * is) in the same commit, so after a crash the index resumes from exactly what it holds.
     */
    public void apply(List<Change> changes, long position) {
        try {
            for (Change change : changes) {
                switch (change) {
                    case Change.Replace r -> {
                        Term key = new Term(DOCUMENT, key(r.collection(), r.document()));
                        if (r.chunks().isEmpty()) {
                            writer.deleteDocuments(key);
                        } else {
                            writer.updateDocuments(key, r.chunks().stream().map(this::document).toList());
                        }
                    }
                    case Change.Drop d -> writer.deleteDocuments(new Term(COLLECTION, d.collection()));
                }
            }
            writer.setLiveCommitData(Map.of(POSITION, Long.toString(position)).entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the retrieval index", e);
        }
    }

    /** @return the change-log position recorded by the last {@link #apply}, 0 for a new index */
    public long position() {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (e.getKey().equals(POSITION)) {
                    return Long.parseLong(e.getValue());
                }
            }
        }
        return 0;
    }

    /** @return how many chunks of the collection the index holds */
    public int count(String collection) {
        IndexSearcher searcher = null;
        try {
            searcher = searchers.acquire();
            return searcher.count(new TermQuery(new Term(COLLECTION, collection)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the retrieval index", e);
        } finally {
            release(searcher);
        }
    }

    /** @return the number of segments, which a search walks one by one */
    public int segments() {
        IndexSearcher searcher = null;
        try {
            searcher = searchers.acquire();
            return searcher.getIndexReader().leaves().size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the retrieval index", e);
        } finally {
            release(searcher);
        }
    }

    private void release(IndexSearcher searcher) {
        if (searcher != null) {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                // released with the index at close
            }
        }
    }

    /**
     * Merges the index into few segments: after a bulk load, a search then walks a few HNSW graphs
     * instead of one per batch written. Blocking; minutes on a large index.
     */
    public void compact() {
        try {
            writer.forceMerge(1);
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the retrieval index", e);
        }
    }

    /** Removes every chunk of a document. */
    public void delete(String collection, String document) {
        try {
            writer.deleteDocuments(new Term(DOCUMENT, key(collection, document)));
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the retrieval index", e);
        }
    }

    /**
     * @param query   the question, for BM25; may be blank for a vector-only search
     * @param vector  the question's embedding; null for a text-only search
     * @param readers what the caller may read ({@link Readers#of})
     * @return at most {@code limit} chunks the caller may read, best first
     */
    public List<Hit> search(String collection, String query, float[] vector, Set<String> readers, int limit) {
        return search(collection, query, vector, readers, Map.of(), limit);
    }

    /**
     * @param filters metadata every result must have: field to required value ({@code source: tickets})
     * @see #search(String, String, float[], Set, int)
     */
    public List<Hit> search(String collection, String query, float[] vector, Set<String> readers, Map<String, String> filters,
                            int limit) {
        return search(collection, query, vector, readers, filters, null, limit);
    }

    /**
     * @param languages the analyses the text search uses ({@code en}, {@code de}), a subset of the
     *                  index's; null for all of them. An English collection searched with English
     *                  analysis only ranks as an English-only index would: each field has its own statistics.
     * @see #search(String, String, float[], Set, Map, int)
     */
    public List<Hit> search(String collection, String query, float[] vector, Set<String> readers, Map<String, String> filters,
                            List<String> languages, int limit) {
        Query allowed = allowed(collection, readers, filters);
        List<String> fields = languages == null ? textFields : fields(languages).stream().filter(textFields::contains).toList();
        IndexSearcher searcher = null;
        try {
            searcher = searchers.acquire();
            Query text = text(query, allowed, fields.isEmpty() ? textFields : fields);
            ScoreDoc[] byText = text == null ? null : searcher.search(text, CANDIDATES).scoreDocs;
            ScoreDoc[] byVector = vector == null ? null
                    : searcher.search(new KnnFloatVectorQuery(VECTOR + vector.length, vector, CANDIDATES, allowed), CANDIDATES).scoreDocs;
            List<Candidate> fused = fuse(byText, byVector);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(Math.min(limit, fused.size()));
            for (Candidate c : fused.subList(0, Math.min(limit, fused.size()))) {
                Document d = stored.document(c.doc);
                hits.add(new Hit(d.get(ID), d.get(DOCUMENT).substring(d.get(DOCUMENT).indexOf('\u0000') + 1), d.get(TITLE),
                        d.get(TEXT), c.score, c.textRank, c.vectorRank, metadata(d.get(METADATA))));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the retrieval index", e);
        } finally {
            release(searcher);
        }
    }

    /** A Lucene document among the candidates, with its fused score and its rank in each search (0 when absent). */
    static final class Candidate {
        final int doc;
        double score;
        int textRank;
        int vectorRank;

        Candidate(int doc) {
            this.doc = doc;
        }
    }

    /**
     * Fuses the two searches' candidates (either may be null: that search did not run) by the weighted
     * sum of their min-max normalised scores; best first, ties by document order.
     */
    static List<Candidate> fuse(ScoreDoc[] byText, ScoreDoc[] byVector) {
        double textWeight = byVector == null ? 1 : byText == null ? 0 : TEXT_WEIGHT;
        Map<Integer, Candidate> candidates = new HashMap<>();
        add(byText, textWeight, candidates, true);
        add(byVector, 1 - textWeight, candidates, false);
        List<Candidate> fused = new ArrayList<>(candidates.values());
        fused.sort((a, b) -> a.score != b.score ? Double.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
        return fused;
    }

    private static void add(ScoreDoc[] docs, double weight, Map<Integer, Candidate> candidates, boolean text) {
        if (docs == null || docs.length == 0) {
            return;
        }
        float best = Float.NEGATIVE_INFINITY;
        float worst = Float.POSITIVE_INFINITY;
        for (ScoreDoc d : docs) {
            best = Math.max(best, d.score);
            worst = Math.min(worst, d.score);
        }
        for (int i = 0; i < docs.length; i++) {
            Candidate c = candidates.computeIfAbsent(docs[i].doc, Candidate::new);
            c.score += weight * normalised(docs[i].score, worst, best);
            if (text) {
                c.textRank = i + 1;
            } else {
                c.vectorRank = i + 1;
            }
        }
    }

    /** {@code score} scaled so that the weakest candidate is 0 and the best 1; 1 when all score the same. */
    static double normalised(float score, float worst, float best) {
        return best > worst ? ((double) score - worst) / ((double) best - worst) : 1;
    }

    /** The collection, only chunks with one of the caller's reader entries, and the metadata filters. */
    private static Query allowed(String collection, Set<String> readers, Map<String, String> filters) {
        List<BytesRef> terms = readers.stream().map(BytesRef::new).toList();
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(COLLECTION, collection)), Occur.FILTER)
                .add(new TermInSetQuery(READERS, terms), Occur.FILTER);
        filters.forEach((field, value) -> b.add(new TermQuery(new Term(FILTER_PREFIX + field, value)), Occur.FILTER));
        return b.build();
    }

    private static Map<String, String> metadata(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
            });
        } catch (IOException e) {
            return Map.of();
        }
    }

    /**
     * The analyses a chunk gets: its own language's when it is told (English text stemmed as German,
     * or the other way round, only adds wrong terms), every one of the index's when undecided (short
     * or mixed text).
     */
    private List<String> analysedAs(String text) {
        if (textFields.size() == 1) {
            return textFields;
        }
        String language = TextLanguage.of(text);
        String field = language == null ? null : fields(List.of(language)).get(0);
        return field != null && textFields.contains(field) ? List.of(field) : textFields;
    }

    private static List<String> fields(List<String> languages) {
        return languages.stream().map(l -> switch (l) {
            case "en" -> TEXT_EN;
            case "de" -> TEXT_DE;
            default -> throw new IllegalArgumentException("no analysis for language '" + l + "'; use en or de");
        }).toList();
    }

    /** BM25 over the query's analyses in the given fields, within what the caller may read; null for a blank query. */
    private Query text(String query, Query allowed, List<String> fields) {
        if (query == null || query.isBlank()) {
            return null;
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        Set<String> seen = new LinkedHashSet<>();
        for (String field : fields) {
            for (String term : terms(field, query)) {
                if (seen.add(field + ':' + term)) {
                    words.add(new TermQuery(new Term(field, term)), Occur.SHOULD);
                }
            }
        }
        if (seen.isEmpty()) {
            return null;
        }
        return new BooleanQuery.Builder().add(words.build(), Occur.MUST).add(allowed, Occur.FILTER).build();
    }

    private List<String> terms(String field, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream tokens = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                out.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private Document document(Chunk c) {
        Document d = new Document();
        d.add(new StringField(ID, c.id(), Field.Store.YES));
        d.add(new StringField(DOCUMENT, key(c.collection(), c.document()), Field.Store.YES));
        d.add(new StringField(COLLECTION, c.collection(), Field.Store.NO));
        for (String reader : c.readers()) {
            d.add(new StringField(READERS, reader, Field.Store.NO));
        }
        d.add(new StoredField(TITLE, c.title() == null ? "" : c.title()));
        d.add(new StoredField(TEXT, c.text()));
        for (String field : analysedAs(c.text())) {
            d.add(new TextField(field, c.text(), Field.Store.NO));
        }
        if (c.vector() != null) {
            d.add(new KnnFloatVectorField(VECTOR + c.vector().length, c.vector(), VectorSimilarityFunction.COSINE));
        }
        if (!c.metadata().isEmpty()) {
            c.metadata().forEach((field, value) -> {
                if (value != null && value.length() <= 256) {
                    d.add(new StringField(FILTER_PREFIX + field, value, Field.Store.NO));
                }
            });
            try {
                d.add(new StoredField(METADATA, JSON.writeValueAsString(c.metadata())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return d;
    }

    private static String key(String collection, String document) {
        return collection + '\u0000' + document;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the retrieval index", e);
        }
    }
}
