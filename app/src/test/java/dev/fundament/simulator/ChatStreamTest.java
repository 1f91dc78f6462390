package dev.fundament.simulator;

import static dev.fundament.simulator.SimulatorClient.await;
import static dev.fundament.simulator.SimulatorClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a stream ends when it does not end well: the client leaves (before the first token or in the
 * middle) and the simulator must forget the stream, or the simulator cuts it over HTTP/2, where a
 * careless reset would throw away the chunks already written.
 */
class ChatStreamTest {

    private static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static Vertx vertx;
    private Simulator simulator;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            await(simulator.close());
        }
    }

    @Test
    void clientThatLeavesMidStreamReleasesIt() throws Exception {
        simulator = SimulatorClient.start(vertx, "--output-tokens fixed:1000 --tokens-per-second 1");
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            send(socket);
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\n\n")) {
                int b = in.read();
                assertThat(b).as("the stream's first event arrives before the connection ends").isNotNegative();
                seen.append((char) b);
            }
            assertThat(seen.toString()).contains("data: {");
            assertThat(simulator.activeStreams()).isEqualTo(1);
        }
        eventually(() -> simulator.activeStreams() == 0, "the abandoned stream is released");
    }

    @Test
    void clientThatLeavesBeforeTheFirstTokenReleasesIt() throws Exception {
        simulator = SimulatorClient.start(vertx, "--ttft 10m");
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            send(socket);
            eventually(() -> simulator.activeStreams() == 1, "the stream waits for its first token");
        }
        eventually(() -> simulator.activeStreams() == 0, "the waiting stream is released");
    }

    @Test
    void failAfterChunksAlsoCutsHttp2StreamsAfterTheirChunks() {
        simulator = SimulatorClient.start(vertx, "--output-tokens fixed:50 --fail-after-chunks 3");
        HttpClient http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        CompletableFuture<String> broken = new CompletableFuture<>();
        StringBuilder received = new StringBuilder();
        http2.request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/v1/chat/completions")
                .compose(request -> request.send(Buffer.buffer(STREAM)))
                .onSuccess(response -> {
                    assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
                    response.handler(chunk -> received.append(chunk.toString(StandardCharsets.UTF_8)));
                    response.exceptionHandler(e -> broken.complete(received.toString()));
                    response.endHandler(v -> broken.completeExceptionally(new AssertionError("ended cleanly: " + received)));
                })
                .onFailure(broken::completeExceptionally);

        String text = broken.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(SimulatorClient.events(text)).hasSize(1 + 3).doesNotContain("[DONE]");
        await(http2.close());
    }

    private static void send(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + STREAM.length() + "\r\n\r\n" + STREAM).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
