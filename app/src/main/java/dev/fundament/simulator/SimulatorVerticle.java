package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One event loop's share of a simulator: an HTTP server on the simulator's port (Vert.x spreads the
 * connections of servers sharing a port over their event loops) that routes, parses, records, draws
 * faults and answers. One instance per event loop is what lets the simulator serve tens of thousands
 * of requests per second: nothing here blocks, nothing is shared but {@link Traffic}.
 *
 * <p>Randomness is per connection: the n-th connection to send a chat or embedding request gets a
 * {@link SplittableRandom} seeded from the simulator's seed and n, used only on that connection's
 * event loop, so it needs no synchronisation. Which event loop a connection lands on does not matter:
 * with the same seed, the n-th connection sees the same answers and faults in every run, and a client
 * that sends its requests over one connection is fully reproducible.
 *
 * <p>Order of work for an inference request: read and parse the body (400 if it is not a JSON
 * object), record it, draw the fault (500 or 429), then plan the answer (400 if it lacks what the
 * answer needs). Listing models is never faulted, so health checks stay green.
 */
final class SimulatorVerticle extends AbstractVerticle {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MODEL_ID = "sim-model";
    private static final String CHAT = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String MODELS = "/v1/models";

    private final SimulatorOptions options;
    private final int bindPort;
    private final Traffic traffic;
    private final long seed;
    private final long createdSeconds;
    /** Identity-keyed (HttpConnection has no equals) and touched only on this verticle's event loop. */
    private final Map<HttpConnection, SplittableRandom> randoms = new HashMap<>();
    private final Buffer modelList;
    private HttpServer server;

    /**
     * @param bindPort the port to listen on; a negative number binds a random port shared by every
     *                 server of this Vert.x instance that uses the same negative number
     */
    SimulatorVerticle(SimulatorOptions options, int bindPort, Traffic traffic, long seed, long createdSeconds) {
        this.options = options;
        this.bindPort = bindPort;
        this.traffic = traffic;
        this.seed = seed;
        this.createdSeconds = createdSeconds;
        this.modelList = Buffer.buffer("{\"object\":\"list\",\"data\":[" + model(MODEL_ID) + "]}");
    }

    @Override
    public void start(Promise<Void> started) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(bindPort)
                .setAcceptBacklog(8192).setHandle100ContinueAutomatically(true).setIdleTimeout(0));
        server.requestHandler(this::handle).listen().<Void>mapEmpty().onComplete(started);
    }

    int actualPort() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        traffic.countRequest();
        String path = request.path();
        HttpMethod method = request.method();
        if (CHAT.equals(path) && method == HttpMethod.POST) {
            request.body().onSuccess(body -> inference(request, body, true));
        } else if (EMBEDDINGS.equals(path) && method == HttpMethod.POST) {
            request.body().onSuccess(body -> inference(request, body, false));
        } else if (MODELS.equals(path) && method == HttpMethod.GET) {
            JsonReplies.ok(request.response(), modelList);
        } else if (path.startsWith(MODELS + "/") && path.length() > MODELS.length() + 1 && method == HttpMethod.GET) {
            JsonReplies.ok(request.response(), Buffer.buffer(model(decode(path.substring(MODELS.length() + 1)))));
        } else {
            JsonReplies.invalidUrl(request.response(), method.name(), path);
        }
    }

    private void inference(HttpServerRequest request, Buffer bytes, boolean chat) {
        HttpServerResponse response = request.response();
        JsonNode body = parse(bytes);
        if (body == null) {
            JsonReplies.malformedJson(response);
            return;
        }
        traffic.record(body);
        SplittableRandom random = random(request.connection());
        if (faulted(response, random)) {
            return;
        }
        try {
            if (chat) {
                chat(response, body, random);
            } else {
                String answer = Embeddings.answer(body, options.embeddingDimensions());
                reply(response, options.ttft().toMillis(), () -> Buffer.buffer(answer));
            }
        } catch (BadRequest e) {
            JsonReplies.badRequest(response, e);
        }
    }

    private void chat(HttpServerResponse response, JsonNode body, SplittableRandom random) {
        ChatAnswer answer = ChatPlanner.plan(body, options, random);
        if (answer.stream()) {
            new ChatStream(vertx, response, answer, options, traffic).start();
            return;
        }
        double tps = options.tokensPerSecond();
        long generating = tps == 0 ? 0 : Math.round(Math.max(0, answer.completionTokens() - 1) * 1000 / tps);
        reply(response, options.ttft().toMillis() + generating, () -> Buffer.buffer(answer.completionJson()));
    }

    /** Answers after {@code delayMillis}, or never if the client leaves first. */
    private void reply(HttpServerResponse response, long delayMillis, Supplier<Buffer> body) {
        if (delayMillis <= 0) {
            JsonReplies.ok(response, body.get());
            return;
        }
        long timer = vertx.setTimer(delayMillis, id -> JsonReplies.ok(response, body.get()));
        response.closeHandler(v -> vertx.cancelTimer(timer));
    }

    private SplittableRandom random(HttpConnection connection) {
        SplittableRandom random = randoms.get(connection);
        if (random == null) {
            random = new SplittableRandom(mix(seed + mix(traffic.nextConnectionOrdinal() + 1)));
            randoms.put(connection, random);
            connection.closeHandler(v -> randoms.remove(connection));
        }
        return random;
    }

    /** Stafford's mix 13: neighbouring inputs give unrelated seeds, unlike SplittableRandom's own seeding. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private boolean faulted(HttpServerResponse response, SplittableRandom random) {
        double errors = options.errorRate();
        double limits = options.rateLimitRate();
        if (errors == 0 && limits == 0) {
            return false;
        }
        double draw = random.nextDouble();
        if (draw < errors) {
            JsonReplies.serverError(response);
            return true;
        }
        if (draw < errors + limits) {
            JsonReplies.rateLimited(response);
            return true;
        }
        return false;
    }

    private static JsonNode parse(Buffer bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes.getBytes());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** @return a path segment percent-decoded ({@code +} stays a plus), or as sent if it is malformed */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    private String model(String id) {
        StringBuilder b = new StringBuilder(96).append("{\"id\":");
        return ChatAnswer.quote(b, id).append(",\"object\":\"model\",\"created\":").append(createdSeconds)
                .append(",\"owned_by\":\"simulator\"}").toString();
    }
}
