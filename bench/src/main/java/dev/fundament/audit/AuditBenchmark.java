package dev.fundament.audit;

import dev.fundament.config.AuditSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the audit trail adds to a request: append one record with a 2 KB payload encrypted under the
 * data subject's key (payload retention on), and wait until it is durable in the audit journal, on the
 * embedded H2 store. Sample mode gives the latency percentiles; run with 16 threads and read the
 * throughput from the sample count (or run {@code -bm thrpt}).
 *
 * <pre>
 * ./mvnw -q -pl app,bench package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main AuditBenchmark -t 1
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main AuditBenchmark -t 16 -bm thrpt -tu s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AuditBenchmark {

    private Path dir;
    private AuditTrail trail;
    private String payload;
    private AuditRecord draft;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fundament-audit-bench");
        javax.sql.DataSource ds = dev.fundament.bench.EmbeddedStore.open(dir);
        trail = new AuditTrail(new AuditSpec(true, 30, 400, null, null, null, null), null, null, new JdbcAuditStore(ds), dir,
                Clock.systemUTC());
        payload = "user: " + "Please summarise the attached customer complaint and draft a polite answer. ".repeat(27)
                + "\nassistant: Here is a summary.";
        draft = new AuditRecord(null, 0, null, null, "request", "req-bench", "maria.schmidt", "sales", "fk-AbC123xyz", "gpt-4o",
                "openai", "gpt-4o-2024-08-06", "c91e2232f826", "[{\"policy\":\"pii\",\"action\":\"pseudonymize\"}]", 512, 128,
                1_234, 200, 840, AuditChain.sha256(payload), AuditChain.sha256("answer"), null, null, null, null, null, null, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long started = System.nanoTime();
        trail.awaitStored();
        double caughtUp = (System.nanoTime() - started) / 1e6;
        long stored = trail.stored();
        started = System.nanoTime();
        AuditVerifier.Report report = trail.verify();
        String line = String.format("[audit] %d records stored; database caught up %.0f ms after the last append;"
                + " verifying took %.0f ms; intact: %s%n", stored, caughtUp, (System.nanoTime() - started) / 1e6, report.ok());
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "fundament-audit-bench.txt"), line,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        trail.stop(null, null);
        dev.fundament.bench.EmbeddedStore.delete(dir);
    }

    @Benchmark
    public Object appendDurable() {
        return trail.append(draft, payload).join();
    }
}
