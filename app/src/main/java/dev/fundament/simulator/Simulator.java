package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A running OpenAI-compatible model simulator, the upstream for load tests and for Fundament's own
 * tests and benchmarks. {@link #start} embeds one in any Vert.x instance; {@link #main} is
 * {@code ./fundament simulate}.
 *
 * <p>One HTTP server per event loop ({@code availableProcessors} of them) shares the port, so the
 * simulator scales with the cores like the gateway in front of it. Vert.x shares a port between
 * servers only when they ask for the same port number, and port 0 is never shared; so port 0 becomes
 * a negative "shared random port" key, unique per simulator of the JVM, which Vert.x binds once to a
 * random port and shares among the servers that use the same key.
 *
 * <p>Randomness: each connection has its own random source, derived from the seed and the
 * connection's ordinal, so a seeded simulator answers the n-th connection the same way in every run
 * (whichever event loop serves it) and no random source is shared between threads.
 *
 * <p>Thread-safe: the accessors read lock-free counters that the event loops update.
 */
public final class Simulator {

    /** Distinct negative ports, far from the -1 that other code of the same Vert.x may use. */
    private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger(-0x51_0000);

    private final Vertx vertx;
    private final SimulatorOptions options;
    private final Traffic traffic;
    private final int port;
    private final String deployment;

    private Simulator(Vertx vertx, SimulatorOptions options, Traffic traffic, int port, String deployment) {
        this.vertx = vertx;
        this.options = options;
        this.traffic = traffic;
        this.port = port;
        this.deployment = deployment;
    }

    /**
     * Starts a simulator on {@code vertx}'s event loops.
     *
     * @return the running simulator once every server listens; failed if the port cannot be bound
     */
    public static Future<Simulator> start(Vertx vertx, SimulatorOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        int bindPort = options.port() == 0 ? RANDOM_PORT_KEYS.decrementAndGet() : options.port();
        long seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
        Traffic traffic = new Traffic();
        long created = System.currentTimeMillis() / 1000;
        SimulatorVerticle[] first = new SimulatorVerticle[1];
        Supplier<Verticle> servers = () -> {
            SimulatorVerticle server = new SimulatorVerticle(options, bindPort, traffic, seed, created);
            synchronized (first) {
                if (first[0] == null) {
                    first[0] = server;
                }
            }
            return server;
        };
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        return vertx.deployVerticle(servers, new DeploymentOptions().setInstances(instances))
                .map(id -> {
                    synchronized (first) {
                        return new Simulator(vertx, options, traffic, first[0].actualPort(), id);
                    }
                });
    }

    /** @return the port the simulator listens on, the OS's pick if it was asked for port 0 */
    public int port() {
        return port;
    }

    public SimulatorOptions options() {
        return options;
    }

    /**
     * Stops listening and closes every connection, cutting open streams; their timers are cancelled
     * with the servers. The future may complete just before the cut streams are counted down.
     */
    public Future<Void> close() {
        return vertx.undeploy(deployment);
    }

    /** @return the last 100 request bodies of chat and embedding requests, oldest first, unmodifiable */
    public List<JsonNode> requests() {
        return traffic.recent();
    }

    /** @return streams started and not yet finished, cut or abandoned by their client */
    /** @return content chunks written to streams so far, over all streams */
    public long chunksSent() {
        return traffic.chunksSent();
    }

    /** @return streams waiting for their client to read: the socket's write queue is full */
    public int stalledStreams() {
        return traffic.stalledStreams();
    }

    public int activeStreams() {
        return traffic.activeStreams();
    }

    /** @return every HTTP request received since the start, whatever its answer */
    public long requestCount() {
        return traffic.requestCount();
    }

    /**
     * {@code ./fundament simulate [options]}: starts a simulator on a new Vert.x instance, prints where it
     * listens, and runs until the process is stopped. Bad options print the problem and usage and exit
     * with 64; a port that cannot be bound exits with 1.
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(SimulatorOptions.usage());
            return;
        }
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        Vertx vertx = Vertx.vertx();
        start(vertx, options).onSuccess(simulator -> {
            String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
            System.out.println("Fundament simulator listening on http://" + host + ":" + simulator.port() + "/v1 ("
                    + options.summary() + ")");
        }).onFailure(e -> {
            System.err.println("Fundament simulator cannot listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage());
            System.exit(1);
        });
    }
}
