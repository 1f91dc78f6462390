package dev.fundament.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.simulator.Simulator;
import dev.fundament.simulator.SimulatorOptions;
import dev.fundament.testing.Services;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Fundament processes share one PostgreSQL (keys, ledger, audit trail) and one Redis (limit
 * counters): a key created on one works on the other, a limit of N requests per minute admits exactly
 * N in total however the requests are spread, a revoked key stops at once on both, and each keeps its
 * own audit chain that one verification covers.
 */
class TwoInstancesIT {

    private static final String ADMIN = "fk-cluster-admin-0123456789abcdefghijklmnop";
    private static final int LIMIT = 20;

    private static Vertx vertx;
    private static Simulator upstream;
    private static Instance first;
    private static Instance second;

    @BeforeAll
    static void start() throws Exception {
        String redis = Services.redisUrl();
        String database = "fundament_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw e;
            }
            Assumptions.abort("no PostgreSQL: " + e.getMessage());
        }
        vertx = Vertx.vertx();
        upstream = Simulator.start(vertx, SimulatorOptions.parse("--port 0 --ttft 0ms --tokens-per-second 0 --output-tokens fixed:5".split(" ")))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("fundament-cluster");
        Path config = dir.resolve("fundament.yaml");
        Files.writeString(config, """
                storage:
                  type: postgresql
                  url: jdbc:postgresql://127.0.0.1:5432/%s
                  username: postgres
                audit:
                  checkpoint_every: 1
                  signing_key: %s
                limits:
                  counters:
                    type: redis
                    url: %s
                  per_key:
                    requests_per_minute: %d
                providers:
                  sim:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                models:
                  chat:
                    provider: sim
                collections:
                  shared:
                    owner: default
                    readers: [public]
                    sources:
                      - {name: intranet, type: push}
                      - {name: share, type: folder, path: "%s", interval: 1h}
                """.formatted(database, signingKey(), redis, LIMIT, upstream.port(), share(dir)));
        Map<String, String> env = Map.of("FUNDAMENT_BOOTSTRAP_KEY", ADMIN);
        first = Instance.start(config, dir.resolve("a"), freePort(), env);
        second = Instance.start(config, dir.resolve("b"), freePort(), env);
    }

    private static Path share(Path dir) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("maintenance.md"), "# Maintenance\n\nThe spindle cooling circuit is checked every"
                + " 2,000 operating hours.\n");
        return share;
    }

    @AfterAll
    static void stop() {
        Instance.closeAll(vertx, first, second);
    }

    @Test
    void aKeyMadeOnOneInstanceWorksOnTheOtherAndALimitHoldsAcrossBoth() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> created = first.post("/admin/v1/keys", ADMIN, "{\"name\":\"shared-" + attempt + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String key = created.body().replaceAll(".*\"key\":\"(fk-[A-Za-z0-9]+)\".*", "$1");
            long window = System.currentTimeMillis() / 60_000;
            List<Integer> statuses = fire(key, 3 * LIMIT);
            if (System.currentTimeMillis() / 60_000 != window) {
                continue;
            }
            assertThat(statuses.stream().filter(s -> s == 200).count()).as("admitted over both instances").isEqualTo(LIMIT);
            assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(2L * LIMIT);
            return;
        }
        throw new AssertionError("three minute boundaries in a row");
    }

    @Test
    void aKeyRevokedOnOneInstanceStopsWorkingOnTheOtherAtOnce() throws Exception {
        HttpResponse<String> created = first.post("/admin/v1/keys", ADMIN, "{\"name\":\"short-lived\"}");
        String key = created.body().replaceAll(".*\"key\":\"(fk-[A-Za-z0-9]+)\".*", "$1");
        String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1");
        assertThat(second.get("/v1/models", key).statusCode()).as("cached on the second instance").isEqualTo(200);

        long revokedAt = System.nanoTime();
        assertThat(first.delete("/admin/v1/keys/" + id, ADMIN).statusCode()).isEqualTo(200);
        int status = second.get("/v1/models", key).statusCode();
        while (status == 200 && System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(4)) {
            status = second.get("/v1/models", key).statusCode();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
        assertThat(status).as("refused on the other instance").isEqualTo(401);
        assertThat(millis).as("well before the 5 s cache would have let it go").isLessThan(1_000);
    }

    private static List<Integer> fire(String key, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instance target = i % 2 == 0 ? first : second;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return target.post("/v1/chat/completions", key,
                            "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
                } catch (Exception e) {
                    return -1;
                }
            }, pool));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> a : answers) {
            statuses.add(a.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return statuses;
    }

    /** One Ed25519 key for both instances, as an operator configures it. */
    private static String signingKey() throws Exception {
        return java.util.Base64.getEncoder().encodeToString(
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
    }

    @Test
    void eachInstanceKeepsItsOwnChainAndOneVerificationCoversBoth() throws Exception {
        for (Instance i : new Instance[] {first, second}) {
            assertThat(i.post("/v1/chat/completions", ADMIN, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> report = second.get("/admin/v1/audit/verify", ADMIN);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"ok\":true");
        assertThat(report.body().split("\"instance\":", -1)).as("two chains").hasSize(3);
    }

    /**
     * Both instances keep their own Lucene index and follow the shared database's change log: a
     * document pushed to one is found on the other within seconds, a deletion on the other leaves
     * both, and the folder source (run by whichever instance holds its lease) is searchable on both.
     */
    @Test
    void companyDataWrittenThroughOneInstanceIsSearchableOnBoth() throws Exception {
        HttpResponse<String> pushed = first.post("/v1/collections/shared/documents", ADMIN, "{\"source\": \"intranet\","
                + " \"documents\": [{\"id\": \"canteen\", \"text\": \"The canteen serves lunch from 11:30 to 14:00.\"}]}");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        String query = "{\"query\": \"When does the canteen serve lunch?\", \"top_k\": 5}";
        awaitBody(second, query, body -> body.contains("intranet:canteen"), "the push reaches the other instance");
        awaitBody(second, "{\"query\": \"spindle cooling circuit\", \"top_k\": 5}", body -> body.contains("share:maintenance.md"),
                "the folder source on the second instance");
        awaitBody(first, "{\"query\": \"spindle cooling circuit\", \"top_k\": 5}", body -> body.contains("share:maintenance.md"),
                "the folder source on the first instance");

        assertThat(second.delete("/v1/collections/shared/documents/intranet:canteen", ADMIN).statusCode()).isEqualTo(200);
        awaitBody(first, query, body -> !body.contains("intranet:canteen"), "the deletion reaches the first instance");
    }

    /** A collection made through the admin API on one instance is served by the other within seconds, and so is its deletion. */
    @Test
    void aCollectionMadeOnOneInstanceIsServedByTheOther() throws Exception {
        HttpResponse<String> created = first.post("/admin/v1/collections", ADMIN, "{\"name\": \"faq\", \"settings\":"
                + " {\"owner\": \"default\", \"readers\": [\"public\"], \"sources\": [{\"name\": \"web\", \"type\": \"push\"}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> pushed = second.post("/v1/collections/faq/documents", ADMIN,
                "{\"source\": \"web\", \"documents\": [{\"id\": \"returns\", \"text\": \"Returns within 30 days.\"}]}");
        while (pushed.statusCode() == 404) {
            assertThat(System.nanoTime()).as("the second instance learns of the collection").isLessThan(deadline);
            pushed = second.post("/v1/collections/faq/documents", ADMIN,
                    "{\"source\": \"web\", \"documents\": [{\"id\": \"returns\", \"text\": \"Returns within 30 days.\"}]}");
        }
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(first.delete("/admin/v1/collections/faq", ADMIN).statusCode()).isEqualTo(200);
        HttpResponse<String> gone = second.post("/v1/collections/faq/search", ADMIN, "{\"query\": \"returns\"}");
        while (gone.statusCode() != 404) {
            assertThat(System.nanoTime()).as("the second instance forgets it").isLessThan(deadline);
            gone = second.post("/v1/collections/faq/search", ADMIN, "{\"query\": \"returns\"}");
        }
    }

    private static void awaitBody(Instance instance, String query, java.util.function.Predicate<String> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> r = instance.post("/v1/collections/shared/search", ADMIN, query);
        while (r.statusCode() != 200 || !condition.test(r.body())) {
            assertThat(System.nanoTime()).as(what + ": " + r.body()).isLessThan(deadline);
            r = instance.post("/v1/collections/shared/search", ADMIN, query);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
