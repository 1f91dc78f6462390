package dev.fundament.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.simulator.Simulator;
import dev.fundament.simulator.SimulatorOptions;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL under load: every answer a client received has its ledger entry and its audit record:
 * durable in the journals when it was answered, and in the embedded database once the instance has
 * started again, where the audit chain still verifies. Sixteen clients send requests with unique ids until a few hundred answers arrived; the
 * server is then killed with SIGKILL (no shutdown hook runs) while requests are still in flight.
 *
 * <p>Half the clients stream. A kill once left 8 streams that the upstream had served with neither a
 * ledger entry nor an audit record: every request the upstream received is now accounted after the
 * restart, those the kill cut settled as interrupted (499).
 */
class KillDuringLoadIT {

    private static final String ADMIN = "fk-kill-admin-0123456789abcdefghijklmnopqrs";

    private static Vertx vertx;
    private static Simulator upstream;
    private static Path data;
    private static Path config;
    private static Instance server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = Simulator.start(vertx, SimulatorOptions.parse("--port 0 --ttft 2ms --tokens-per-second 0 --output-tokens fixed:5".split(" ")))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("fundament-kill");
        data = dir.resolve("data");
        config = dir.resolve("fundament.yaml");
        Files.writeString(config, """
                providers:
                  sim:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                models:
                  chat:
                    provider: sim
                """.formatted(upstream.port()));
        server = Instance.start(config, data, TwoInstancesIT.freePort(), Map.of("FUNDAMENT_BOOTSTRAP_KEY", ADMIN));
    }

    @AfterAll
    static void stop() {
        Instance.closeAll(vertx, server);
    }

    @Test
    void everyAnswerHasItsLedgerEntryAfterSigkill() throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(300);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        for (int c = 0; c < 16; c++) {
            clients.submit(() -> {
                while (running.get()) {
                    int n = sequence.incrementAndGet();
                    boolean stream = n % 2 == 0;
                    String id = "kill-" + n;
                    try {
                        HttpResponse<String> r = server.post("/v1/chat/completions", ADMIN, "{\"model\":\"chat\","
                                + "\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + id
                                + "\"}]}", id);
                        if (r.statusCode() == 200 && r.body().endsWith(stream ? "data: [DONE]\n\n" : "}")) {
                            answered.add(id);
                            enough.countDown();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("300 answers within a minute").isTrue();
        server.process.destroyForcibly();
        assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(30, TimeUnit.SECONDS);

        assertThat(server.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        // The next start on the same data directory moves what the journal holds into the database.
        server = Instance.start(config, data, TwoInstancesIT.freePort(), Map.of("FUNDAMENT_BOOTSTRAP_KEY", ADMIN));
        HttpResponse<String> verified = server.get("/admin/v1/audit/verify", ADMIN);
        assertThat(verified.body()).as("the audit chain verifies after the kill").contains("\"ok\":true");
        server.close();
        assertThat(server.process.exitValue()).as("clean stop after the restart").isNotEqualTo(137);
        Set<String> recorded = new HashSet<>();
        // Read after the clean stop, when the journals are drained into the database: the audit API read
        // just after the start may go ahead before the recovery's records (journaled) are stored.
        Set<String> audited = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath() + "/fundament", "fundament", "");
             PreparedStatement ps = c.prepareStatement("SELECT request_id FROM ledger");
             ResultSet rs = ps.executeQuery();
             PreparedStatement audit = c.prepareStatement("SELECT request_id FROM audit_records WHERE request_id IS NOT NULL");
             ResultSet records = audit.executeQuery()) {
            while (rs.next()) {
                recorded.add(rs.getString(1));
            }
            while (records.next()) {
                audited.add(records.getString(1));
            }
        }
        assertThat(audited).as("an audit record for every answered request").containsAll(answered);
        assertThat(answered).hasSizeGreaterThanOrEqualTo(300);
        assertThat(recorded).as("ledger entries for every answered request").containsAll(answered);

        // The simulator keeps the last 100 requests it received: those around the kill.
        Set<String> upstreamSaw = new HashSet<>();
        upstream.requests().forEach(r -> upstreamSaw.add(r.at("/messages/0/content").asText()));
        Set<String> unanswered = new HashSet<>(upstreamSaw);
        unanswered.removeAll(answered);
        System.out.printf("KillDuringLoadIT: %d answered; of the last %d requests the upstream received, %d were cut by the kill%n",
                answered.size(),
                upstreamSaw.size(), unanswered.size());
        assertThat(recorded).as("a ledger entry for every request the upstream received, %d of them cut by the kill",
                unanswered.size()).containsAll(upstreamSaw);
        assertThat(audited).as("an audit record for every request the kill cut").containsAll(unanswered);
    }
}
