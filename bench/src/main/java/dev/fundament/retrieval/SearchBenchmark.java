package dev.fundament.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.FSDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hybrid search latency at scale: {@code chunks} chunks of ~80 words drawn from a 20,000-word
 * vocabulary (Zipf-like, as prose is) with random unit 384-dimensional vectors (bge-small's size), a
 * third public, the rest split over ten teams; each search is a 6-word question plus a vector, by a
 * caller of one team, top 10. The query's embedding is not included (it is the model's cost).
 *
 * <pre>
 * ./mvnw -q -pl app,bench package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main SearchBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SearchBenchmark {

    private static final int DIMENSIONS = 384;
    private static final int VOCABULARY = 20_000;

    @Param("100000")
    int chunks;

    /** Whether the index is merged into one segment after loading ({@link HybridIndex#compact}). */
    @Param({"false", "true"})
    String compact;

    private Path dir;
    private HybridIndex index;
    private final Random random = new Random(7);
    private final Set<String> readers = Set.of(Readers.PUBLIC, "team:team-3", "user:someone");

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fundament-search-bench");
        index = new HybridIndex(FSDirectory.open(dir), List.of("en"));
        Random r = new Random(1);
        List<Chunk> batch = new ArrayList<>(1000);
        for (int i = 0; i < chunks; i++) {
            String team = i % 3 == 0 ? Readers.PUBLIC : "team:team-" + (i % 10);
            batch.add(new Chunk("c" + i, "d" + i / 4, "bench", "Document " + i / 4, words(r, 80), vector(r), Set.of(team)));
            if (batch.size() == 1000) {
                index.put(batch);
                batch.clear();
            }
        }
        index.put(batch);
        if (Boolean.parseBoolean(compact)) {
            index.compact();
        }
    }

    @Benchmark
    public List<Hit> hybrid() {
        return index.search("bench", words(random, 6), vector(random), readers, 10);
    }

    @TearDown
    public void tearDown() throws IOException {
        index.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Words "w0".."w19999", low numbers far more often, as in prose. */
    private static String words(Random r, int n) {
        StringBuilder b = new StringBuilder(n * 7);
        for (int i = 0; i < n; i++) {
            int w = (int) Math.floor(Math.pow(VOCABULARY, r.nextDouble())) - 1;
            b.append('w').append(w).append(' ');
        }
        return b.toString();
    }

    private static float[] vector(Random r) {
        float[] v = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
