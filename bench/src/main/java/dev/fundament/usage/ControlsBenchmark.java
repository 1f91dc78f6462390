package dev.fundament.usage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.fundament.config.Configuration;
import dev.fundament.config.FundamentSpec;
import dev.fundament.identity.ApiKey;
import dev.fundament.identity.Authenticator;
import dev.fundament.identity.JdbcApiKeyStore;
import dev.fundament.identity.KeyMaterial;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 * What identity and spend control add to one request, with the classes the gateway runs and the
 * embedded H2 file database it uses by default: authenticate a key (cached), reserve requests and
 * tokens against limits of its key, user, team and model, hold the worst-case cost against daily and
 * monthly budgets of its team, user and key, settle both, and wait until the request's ledger record
 * is durable (forced to disk in the ledger journal). {@code controls} is everything but the ledger; {@code controlsAndLedger} is all of it.
 * Run with one thread (an idle gateway: each record waits for its own commit) and with 16 (group
 * commit shares commits):
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main ControlsBenchmark -t 1
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main ControlsBenchmark -t 16
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ControlsBenchmark {

    private Path dir;
    private Authenticator authenticator;
    private RateLimiter limiter;
    private BudgetGuard budgets;
    private Ledger ledger;
    private String authorization;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("fundament-controls");
        javax.sql.DataSource ds = dev.fundament.bench.EmbeddedStore.open(dir);

        KeyMaterial.NewKey material = KeyMaterial.generate();
        JdbcApiKeyStore keys = new JdbcApiKeyStore(ds);
        keys.insert(new ApiKey(UUID.randomUUID().toString(), material.prefix(), material.hash(), "bench", true, "bench-app",
                "sales", Set.of(Role.USER), Set.of(), Map.of("use_case", "bench"), Instant.now(), null, null, null));
        authorization = "Bearer " + material.plaintext();

        String big = "{requests_per_minute: 1000000000, tokens_per_minute: 2000000000}";
        Path yaml = dir.resolve("fundament.yaml");
        Files.writeString(yaml, """
                identity:
                  teams: {sales: {}}
                limits: {per_key: %1$s, per_user: %1$s, per_team: %1$s, per_model: %1$s}
                budgets:
                  teams: {sales: {daily: 1000000, monthly: 10000000}}
                  users: {bench-app: {daily: 1000000, monthly: 10000000}}
                  keys: {%2$s: {daily: 1000000, monthly: 10000000}}
                pricing:
                  models:
                    openai/gpt-4o-mini: {input_per_million: 0.14, output_per_million: 0.55}
                providers:
                  openai: {type: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-none}
                models:
                  gpt: {targets: [{provider: openai, model: gpt-4o-mini}]}
                """.formatted(big, material.prefix()));
        Configuration configuration = new Configuration(Optional.of(yaml.toString()));
        FundamentSpec spec = configuration.spec();

        authenticator = new Authenticator(keys, configuration);
        LimitCounters counters = new InProcessLimitCounters();
        RateLimits limits = new RateLimits(spec.limits(), new JdbcLimitStore(ds), keys, Set.of("sales"), Set.of("gpt"),
                Clock.systemUTC());
        limiter = new RateLimiter(limits, counters, Clock.systemUTC());
        JdbcLedgerStore store = new JdbcLedgerStore(ds);
        ledger = new Ledger(store, new Pricing(spec.pricing()), dir.resolve("ledger-journal"),
                new SimpleMeterRegistry());
        budgets = new BudgetGuard(spec.budgets(), counters, store, "EUR", Clock.systemUTC(), event -> { });
        authenticator.authenticate(authorization, null).await().indefinitely();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        dev.fundament.bench.EmbeddedStore.delete(dir);
    }

    private Principal admit() {
        Principal principal = authenticator.authenticate(authorization, null).await().indefinitely();
        RateLimiter.Reservation reservation = limiter.reserve(principal, "gpt", 1_324).await().indefinitely();
        BudgetGuard.Hold hold = budgets.hold(principal, 760).await().indefinitely();
        reservation.settle(420);
        hold.settle(90);
        return principal;
    }

    @Benchmark
    public Principal controls() {
        return admit();
    }

    @Benchmark
    public Object controlsAndLedger() {
        Principal p = admit();
        LedgerEntry entry = new LedgerEntry(UUID.randomUUID().toString(), "req-" + UUID.randomUUID(), Instant.now(),
                p.subject(), p.team(), p.keyId(), p.keyPrefix(), "bench", "chat", "gpt", "openai", "gpt-4o-mini", 300, 120,
                0, false, 90, "EUR", 12, 200, null, false, false, false, "hash");
        return ledger.record(entry).await().indefinitely();
    }
}
