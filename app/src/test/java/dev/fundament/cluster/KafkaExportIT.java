package dev.fundament.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.simulator.Simulator;
import dev.fundament.simulator.SimulatorOptions;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Audit records streamed to a real Kafka broker (KRaft, started by {@code .ci/kafka/broker.sh} from
 * Maven jars; {@code FUNDAMENT_TEST_KAFKA}, default {@code 127.0.0.1:19092}): every request and admin
 * action arrives on the topic as the JSON the export shows, keyed by instance and sequence.
 */
class KafkaExportIT {

    private static final String ADMIN = "fk-kafka-admin-0123456789abcdefghijklmnopq";
    private static final String BROKER = System.getenv().getOrDefault("FUNDAMENT_TEST_KAFKA", "127.0.0.1:19092");
    private static final String TOPIC = "fundament-audit-" + UUID.randomUUID();

    private static Vertx vertx;
    private static Simulator upstream;
    private static Instance server;

    @BeforeAll
    static void start() throws Exception {
        String[] hostPort = BROKER.split(":");
        try (Socket probe = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            probe.getPort();
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("Kafka is required at " + BROKER + " (.ci/kafka/broker.sh start)", e);
            }
            Assumptions.abort("no Kafka broker at " + BROKER);
        }
        vertx = Vertx.vertx();
        upstream = Simulator.start(vertx, SimulatorOptions.parse("--port 0 --ttft 0ms --tokens-per-second 0 --output-tokens fixed:5".split(" ")))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("fundament-kafka");
        Path config = dir.resolve("fundament.yaml");
        Files.writeString(config, """
                audit:
                  kafka:
                    bootstrap_servers: %s
                    topic: %s
                providers:
                  sim:
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                models:
                  chat:
                    provider: sim
                """.formatted(BROKER, TOPIC, upstream.port()));
        server = Instance.start(config, dir.resolve("data"), TwoInstancesIT.freePort(), Map.of("FUNDAMENT_BOOTSTRAP_KEY", ADMIN));
    }

    @AfterAll
    static void stop() {
        Instance.closeAll(vertx, server);
    }

    @Test
    void requestsAndAdminActionsArriveOnTheTopic() throws Exception {
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String id = "kafka-" + UUID.randomUUID();
            HttpResponse<String> r = server.post("/v1/chat/completions", ADMIN,
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", id);
            assertThat(r.statusCode()).isEqualTo(200);
            sent.add(id);
        }
        assertThat(server.post("/admin/v1/keys", ADMIN, "{\"name\":\"siem-check\"}").statusCode()).isEqualTo(201);

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !complete(received, sent)) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(complete(received, sent)).as("all five requests and the key creation on the topic").isTrue();
        assertThat(received).allSatisfy(r -> {
            assertThat(r.key()).matches("[0-9a-f-]{36}:\\d+");
            assertThat(r.value()).contains("\"hash\":\"").contains("\"prev_hash\":\"").doesNotContain(ADMIN);
        });
    }

    private static boolean complete(List<ConsumerRecord<String, String>> received, Set<String> sent) {
        long requests = sent.stream().filter(id -> received.stream().anyMatch(r -> r.value().contains("\"request_id\":\"" + id + "\""))).count();
        boolean admin = received.stream().anyMatch(r -> r.value().contains("\"action\":\"key.create\""));
        return requests == sent.size() && admin;
    }
}
