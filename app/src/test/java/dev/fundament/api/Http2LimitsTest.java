package dev.fundament.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP limits on HTTP/2, here cleartext with prior knowledge ({@code fundament.http.h2c} on;
 * Quarkus accepts h2c on its plain port by default, Fundament only when asked). The first stream
 * used to lift the idle timeout for good, and one stream's 408/414/431 closed the whole connection
 * with a {@code Connection: close} header, illegal in HTTP/2. Timeouts are two seconds, as in
 * {@link HttpTimeoutsTest}.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
@TestProfile(Http2LimitsTest.ShortTimeoutsAndH2c.class)
class Http2LimitsTest {

    public static class ShortTimeoutsAndH2c implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new HttpTimeoutsTest.ShortTimeouts().getConfigOverrides());
            config.put("fundament.http.h2c", "true");
            return config;
        }
    }

    private static Vertx vertx;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startClient() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClient() throws Exception {
        await(vertx.close());
    }

    private HttpClient http2() {
        return vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost(base.getHost()).setDefaultPort(base.getPort()));
    }

    private record Answer(int status, String body, MultiMap headers, HttpVersion version, HttpConnection connection) {
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Sends a request (with {@code partialBody}: that much of its body, never ended) and reads the whole answer. */
    private static Answer send(HttpClient client, RequestOptions options, String partialBody) throws Exception {
        return send(client, options, partialBody, new CompletableFuture<>());
    }

    /** As {@link #send(HttpClient, RequestOptions, String)}; {@code failure} gets what ended the request's sending side. */
    private static Answer send(HttpClient client, RequestOptions options, String partialBody, CompletableFuture<Throwable> failure)
            throws Exception {
        return await(client.request(options).compose(request -> {
            request.exceptionHandler(failure::complete);
            if (partialBody != null) {
                request.write(partialBody);
            }
            return (partialBody == null ? request.send() : request.response()).compose(response -> response.body()
                    .map(body -> new Answer(response.statusCode(), body.toString(StandardCharsets.UTF_8), response.headers(),
                            response.version(), request.connection())));
        }));
    }

    private static RequestOptions get(String uri) {
        return new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY);
    }

    /**
     * Behind an HTTP/2 proxy one connection carries many callers' streams: a 431, a 414 or a 408 on
     * one of them must end only that stream, and the next request goes over the same connection.
     */
    @Test
    void aRefusalEndsOnlyItsStream() throws Exception {
        HttpClient client = http2();
        try {
            Answer ok = send(client, get("/v1/models"), null);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.version()).isEqualTo(HttpVersion.HTTP_2);

            Answer headers = send(client, get("/v1/models").putHeader("x-padding", "p".repeat(40_000)), null);
            assertThat(headers.status()).isEqualTo(431);
            assertThat(headers.body()).contains("\"code\":\"headers_too_large\"");
            assertThat(headers.headers().contains("connection")).isFalse();

            Answer uri = send(client, get("/v1/models?q=" + "a".repeat(9_000)), null);
            assertThat(uri.status()).isEqualTo(414);
            assertThat(uri.body()).contains("\"code\":\"uri_too_long\"");

            RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
                    .putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY).putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", "200");
            CompletableFuture<Throwable> stopped = new CompletableFuture<>();
            Answer stalled = send(client, post, "{\"model\":\"gpt-sim\",", stopped);
            assertThat(stalled.status()).isEqualTo(408);
            assertThat(stopped.get(30, TimeUnit.SECONDS)).as("the caller is told to stop sending (RST_STREAM NO_ERROR)")
                    .isInstanceOfSatisfying(StreamResetException.class, reset -> assertThat(reset.getCode()).isZero());
            assertThat(stalled.body()).contains("\"code\":\"request_timeout\"");
            assertThat(stalled.headers().contains("connection")).isFalse();

            Answer after = send(client, get("/v1/models"), null);
            assertThat(after.status()).isEqualTo(200);
            assertThat(List.of(headers.connection(), uri.connection(), stalled.connection(), after.connection()))
                    .as("every request went over the first connection").allSatisfy(c -> assertThat(c).isSameAs(ok.connection()));
        } finally {
            await(client.close());
        }
    }

    /**
     * A caller without a key sent one GET, got 401 and held the connection for 30 minutes: the
     * first stream lifted the timeout for good. Once no stream is left, the header deadline applies.
     */
    @Test
    void aConnectionWithNoStreamLeftIsClosedByTheDeadline() throws Exception {
        HttpClient client = http2();
        try {
            Answer refused = send(client, new RequestOptions().setMethod(HttpMethod.GET).setURI("/v1/models"), null);
            assertThat(refused.status()).isEqualTo(401);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            refused.connection().closeHandler(v -> closed.complete(null));
            long answered = System.nanoTime();
            closed.get(30, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)).isLessThan(HttpTimeoutsTest.CLOSED_WITHIN_MS);
        } finally {
            await(client.close());
        }
    }

    /** A stream answered slowly (five seconds) is not cut by the two-second deadline; then it applies. */
    @Test
    void aSlowStreamIsNotCutAndTheDeadlineAppliesAfterIt() throws Exception {
        HttpClient client = http2();
        try {
            RequestOptions chat = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
                    .putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY).putHeader("Content-Type", "application/json");
            Answer slow = await(client.request(chat).compose(request -> request
                    .send("{\"model\":\"patient\",\"messages\":[{\"role\":\"user\",\"content\":\"think first\"}]}")
                    .compose(response -> response.body().map(body -> new Answer(response.statusCode(),
                            body.toString(StandardCharsets.UTF_8), response.headers(), response.version(), request.connection())))));
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.body()).contains("\"object\":\"chat.completion\"");
            CompletableFuture<Void> closed = new CompletableFuture<>();
            slow.connection().closeHandler(v -> closed.complete(null));
            long answered = System.nanoTime();
            closed.get(30, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)).isLessThan(HttpTimeoutsTest.CLOSED_WITHIN_MS);
        } finally {
            await(client.close());
        }
    }
}
