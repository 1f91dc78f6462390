package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An HTTP/1.1 client for one simulator, the server-sent-events parsing the tests share, and how they
 * start simulators. One connection is reused for sequential requests, so a seeded simulator answers
 * reproducibly. A stream is read to its end or to the broken transfer, whichever comes first, and both
 * are reported.
 */
final class SimulatorClient {

    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * @param events the {@code data:} payloads of complete events, {@code [DONE]} included
     * @param broken whether the transfer ended abnormally (connection closed mid-stream)
     */
    record Stream(int status, String contentType, List<String> events, boolean broken) {
        /** @return every event but {@code [DONE]}, parsed */
        List<JsonNode> chunks() {
            List<JsonNode> out = new ArrayList<>();
            for (String e : events) {
                if (!e.equals("[DONE]")) {
                    try {
                        out.add(JSON.readTree(e));
                    } catch (IOException ex) {
                        throw new AssertionError("event is not JSON: " + e, ex);
                    }
                }
            }
            return out;
        }

        /** @return the chunks whose delta carries content */
        List<JsonNode> contentChunks() {
            return chunks().stream().filter(c -> c.path("choices").path(0).path("delta").path("content").isTextual()
                    && !c.path("choices").path(0).path("delta").has("role")).toList();
        }
    }

    /** Starts a simulator on a port the OS picks, answering at once unless {@code flags} say otherwise. */
    static Simulator start(Vertx vertx, String flags) {
        String[] args = ("--port 0 --ttft 0 --tokens-per-second 0 --seed 7 " + flags).trim().split("\\s+");
        return await(Simulator.start(vertx, SimulatorOptions.parse(args)));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition the server reaches asynchronously, such as a disconnect seen on its event loop. */
    static void eventually(BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Still not true after 10 s: " + description);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    SimulatorClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Stream stream(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            boolean broken = false;
            try (InputStream in = response.body()) {
                in.transferTo(bytes);
            } catch (IOException e) {
                broken = true;
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            return new Stream(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    events(text), broken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the {@code data:} payloads of the complete events of {@code text} */
    static List<String> events(String text) {
        List<String> out = new ArrayList<>();
        String[] blocks = text.split("\n\n", -1);
        for (int i = 0; i < blocks.length - 1; i++) {
            if (blocks[i].startsWith("data: ")) {
                out.add(blocks[i].substring("data: ".length()));
            } else if (!blocks[i].isEmpty()) {
                throw new AssertionError("not an SSE data event: " + blocks[i]);
            }
        }
        return out;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
