package dev.fundament.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.retrieval.Chunk;
import dev.fundament.retrieval.Hit;
import dev.fundament.retrieval.HybridIndex;
import dev.fundament.retrieval.Readers;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * {@code fundament eval retrieval --beir DIR [--split dev]}: indexes a BEIR-format corpus
 * ({@code corpus.jsonl}; queries and qrels in {@code DIR/<split>/} or BEIR's {@code queries.jsonl} and
 * {@code qrels/<split>.tsv}) with the in-process embedding model, and prints nDCG@10 and Recall@100
 * for text search (BM25), vector search and the fused hybrid search, the way BEIR computes them
 * (binary gains, log2 discount, ideal ranking from the qrels). The data is read where it lies.
 */
public final class RetrievalEval {

    /** BGE's instruction for retrieval queries; documents are embedded as they are. */
    static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 32;

    private RetrievalEval() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String dir = option(args, "--beir");
        if (dir == null) {
            err.println("Usage: fundament eval retrieval --beir DIR [--split dev] [--limit N] [--vectors FILE] [--languages en,de]");
            return 2;
        }
        String split = option(args, "--split") != null ? option(args, "--split") : "dev";
        int limit = option(args, "--limit") != null ? Integer.parseInt(option(args, "--limit")) : Integer.MAX_VALUE;
        try {
            List<String> languages = List.of((option(args, "--languages") != null ? option(args, "--languages") : "en,de").split(","));
            evaluate(Path.of(dir), split, limit, option(args, "--vectors") == null ? null : Path.of(option(args, "--vectors")),
                    languages, out);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("Cannot evaluate " + dir + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * @param cache a file that keeps the documents' embeddings between runs (they take minutes to make
     *              and do not change while the search is tuned); null for none
     */
    static void evaluate(Path dir, String split, int limit, Path cache, List<String> languages, PrintStream out)
            throws IOException {
        Map<String, String[]> corpus = corpus(dir.resolve("corpus.jsonl"), limit);
        Path splitDir = Files.isDirectory(dir.resolve(split)) ? dir.resolve(split) : dir;
        Map<String, String> queries = queries(splitDir.resolve("queries.jsonl"));
        Map<String, Set<String>> qrels = qrels(Files.exists(splitDir.resolve("qrels.tsv")) ? splitDir.resolve("qrels.tsv")
                : dir.resolve("qrels").resolve(split + ".tsv"));
        queries.keySet().retainAll(qrels.keySet());

        BgeSmallEnV15QuantizedEmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel(
                Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors()));
        long start = System.nanoTime();
        List<Chunk> chunks = new ArrayList<>(corpus.size());
        List<String> ids = new ArrayList<>(corpus.keySet());
        Map<String, float[]> cached = cache == null || !Files.exists(cache) ? Map.of() : readVectors(cache);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            List<String> missing = batch.stream().filter(id -> !cached.containsKey(id)).toList();
            List<Embedding> made = missing.isEmpty() ? List.of()
                    : model.embedAll(missing.stream().map(id -> TextSegment.from(text(corpus.get(id)))).toList()).content();
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(missing.get(i), made.get(i).vector());
            }
            for (String id : batch) {
                float[] v = cached.containsKey(id) ? cached.get(id) : vectors.get(id);
                vectors.put(id, v);
                String[] doc = corpus.get(id);
                chunks.add(new Chunk(id, id, "beir", doc[0], text(doc), v, Set.of(Readers.PUBLIC)));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("Embedded %d documents in %.0f s (%.1f documents/s; %d from the cache).%n", chunks.size(), seconds,
                chunks.size() / seconds, cached.size());
        if (cache != null && cached.isEmpty()) {
            writeVectors(cache, vectors);
        }

        try (HybridIndex index = new HybridIndex(new ByteBuffersDirectory(), languages)) {
            index.put(chunks);
            Set<String> everyone = Set.of(Readers.PUBLIC);
            double[][] sums = new double[3][2];
            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                float[] vector = model.embed(QUERY_INSTRUCTION + q.getValue()).content().vector();
                Set<String> relevant = qrels.get(q.getKey());
                long t0 = System.nanoTime();
                List<Hit> hybrid = index.search("beir", q.getValue(), vector, everyone, 100);
                latencies.add(System.nanoTime() - t0);
                List<Hit> text = index.search("beir", q.getValue(), null, everyone, 100);
                List<Hit> dense = index.search("beir", "", vector, everyone, 100);
                add(sums[0], text, relevant);
                add(sums[1], dense, relevant);
                add(sums[2], hybrid, relevant);
            }
            int n = queries.size();
            out.printf("%n%d queries (%s), %d documents%n%n", n, split, chunks.size());
            out.println("| search | nDCG@10 | Recall@100 |");
            out.println("|---|---:|---:|");
            String[] names = {"text (BM25, analysis " + String.join(" + ", languages) + ")", "vector (bge-small-en-v1.5, quantised)",
                    "hybrid (score fusion, min-max normalised, equal weights)"};
            for (int i = 0; i < 3; i++) {
                out.printf("| %s | %.3f | %.3f |%n", names[i], sums[i][0] / n, sums[i][1] / n);
            }
            latencies.sort(Long::compare);
            out.printf("%nHybrid search latency (index in memory, query embedding excluded): p50 %.2f ms, p99 %.2f ms%n",
                    latencies.get(latencies.size() / 2) / 1e6, latencies.get(latencies.size() * 99 / 100) / 1e6);
        }
    }

    private static void add(double[] sums, List<Hit> hits, Set<String> relevant) {
        sums[0] += ndcg(hits, relevant, 10);
        long found = hits.stream().limit(100).filter(h -> relevant.contains(h.document())).count();
        sums[1] += (double) found / relevant.size();
    }

    static double ndcg(List<Hit> hits, Set<String> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, hits.size()); i++) {
            if (relevant.contains(hits.get(i).document())) {
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            ideal += 1 / (Math.log(i + 2) / Math.log(2));
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    private static Map<String, float[]> readVectors(Path file) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readFloat();
                }
                out.put(id, v);
            }
        }
        return out;
    }

    private static void writeVectors(Path file, Map<String, float[]> vectors) throws IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(vectors.size());
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) {
                    out.writeFloat(f);
                }
            }
        }
    }

    private static String text(String[] doc) {
        return doc[0].isEmpty() ? doc[1] : doc[0] + "\n" + doc[1];
    }

    private static Map<String, String[]> corpus(Path file, int limit) throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null && out.size() < limit; line = in.readLine()) {
                JsonNode n = JSON.readTree(line);
                out.put(n.get("_id").asText(), new String[] {n.path("title").asText(""), n.path("text").asText("")});
            }
        }
        return out;
    }

    private static Map<String, String> queries(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                out.put(n.get("_id").asText(), n.get("text").asText());
            }
        }
        return out;
    }

    private static Map<String, Set<String>> qrels(Path file) throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length >= 3 && !f[0].equals("query-id") && Integer.parseInt(f[2].trim()) > 0) {
                out.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[1]);
            }
        }
        return out;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }
}
