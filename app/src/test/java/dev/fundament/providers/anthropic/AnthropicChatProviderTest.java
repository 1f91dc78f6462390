package dev.fundament.providers.anthropic;

import static dev.fundament.providers.anthropic.AnthropicFixtures.request;
import static dev.fundament.providers.anthropic.AnthropicMapperTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.inference.Usage;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.Provider;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider against a local Vert.x server that records each request and replays a fixture in
 * Anthropic's wire format, streams in 16-byte writes.
 */
class AnthropicChatProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicReference<Reply> REPLY = new AtomicReference<>();
    private static final AtomicReference<Recorded> RECORDED = new AtomicReference<>();
    private static final AtomicReference<CompletableFuture<Void>> CLOSED = new AtomicReference<>();
    private static Vertx vertx;
    private static Provider provider;
    private static ChatProvider chat;

    /** What the server answers; {@code holdOpen} leaves the response unfinished. */
    private record Reply(int status, Map<String, String> headers, byte[] body, boolean holdOpen) {
    }

    private record Recorded(String method, String path, MultiMap headers, JsonNode body) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            RECORDED.set(new Recorded(req.method().name(), req.path(), req.headers(), json(body.getBytes())));
            respond(req.response(), REPLY.get());
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        ProviderSpec spec = new ProviderSpec(ProviderType.ANTHROPIC, "http://127.0.0.1:" + server.actualPort(), null,
                null, Map.of("anthropic-beta", "prompt-caching-2024-07-31"), null, null, null, 1024, null, null, null, null, null, null);
        provider = new AnthropicProviderFactory().create("claude", spec, "sk-ant-test", vertx);
        chat = provider.chat().orElseThrow();
    }

    @AfterAll
    static void stopServer() throws Exception {
        provider.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void chatSendsAnthropicHeadersAndBodyAndMapsTheMessage() {
        REPLY.set(new Reply(200, Map.of("content-type", "application/json"),
                AnthropicFixtures.bytes("message-text.json"), false));
        ChatResult result = chat.chat("claude-sonnet-4-5", conversation()).await().atMost(TIMEOUT);

        Recorded sent = RECORDED.get();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.headers().get("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.headers().get("content-type")).isEqualTo("application/json");
        assertThat(sent.headers().get("anthropic-beta")).as("providers.claude.headers").isEqualTo("prompt-caching-2024-07-31");
        assertThat(sent.headers().get("authorization")).isNull();
        assertThat(sent.body().path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.body().path("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.body().path("max_tokens").asInt()).as("providers.claude.default_max_tokens").isEqualTo(1024);
        assertThat(sent.body().path("messages")).isEqualTo(
                json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}]"));
        assertThat(sent.body().has("stream")).isFalse();

        assertThat(result.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(result.choices().getFirst().message().text()).isEqualTo("Hello! How can I help you today?");
        assertThat(result.choices().getFirst().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).isEqualTo(new Usage(2160, 9, 2048, 0, false));
        assertThat(result.created()).isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(5L));
    }

    @Test
    void streamYieldsChunksAndTheUsageChunkLast() {
        REPLY.set(sse("stream-text.sse", false));
        List<ChatChunk> chunks = chat.stream("claude-sonnet-4-5", conversation()).collect().asList().await().atMost(TIMEOUT);

        assertThat(RECORDED.get().body().path("stream").asBoolean()).isTrue();
        assertThat(chunks.getFirst().choices().getFirst().role()).isEqualTo(Role.ASSISTANT);
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .filter(d -> d.content() != null).map(ChatChunk.Delta::content).collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello, Grüße!");
        assertThat(chunks.get(chunks.size() - 2).choices().getFirst().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage()).isEqualTo(new Usage(1049, 15, 1024, 0, false));
        assertThat(chunks).extracting(ChatChunk::id).containsOnly("msg_01StreamText");
    }

    @Test
    void aRejectedKeyIsTheGatewaysCredentialProblem() {
        REPLY.set(error(401, "error-401.json", Map.of()));

        assertThatThrownBy(() -> chat.chat("claude-sonnet-4-5", conversation()).await().atMost(TIMEOUT))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_AUTH_FAILED);
                    assertThat(e.getMessage()).contains("providers.claude.api_key");
                });
    }

    @Test
    void rateLimitingPassesRetryAfterThrough() {
        REPLY.set(error(429, "error-429.json", Map.of("retry-after", "30")));

        assertThatThrownBy(() -> chat.chat("claude-sonnet-4-5", conversation()).await().atMost(TIMEOUT))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_RATE_LIMITED);
                    assertThat(e.headers()).isEqualTo(Map.of("Retry-After", "30"));
                    assertThat(e.getMessage()).contains("per-minute rate limit");
                });
    }

    @Test
    void anOverloadedUpstreamFailsTheStreamBeforeItsFirstChunk() {
        REPLY.set(error(529, "error-529.json", Map.of()));
        AssertSubscriber<ChatChunk> subscriber = chat.stream("claude-sonnet-4-5", conversation())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        subscriber.awaitFailure(TIMEOUT);
        assertThat(subscriber.getItems()).isEmpty();
        assertThat(subscriber.getFailure()).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
            assertThat(e.getMessage()).contains("HTTP 529", "Overloaded");
        });
    }

    @Test
    void aStreamClosedBeforeMessageStopIsInterrupted() {
        REPLY.set(sse("stream-truncated.sse", false));
        AssertSubscriber<ChatChunk> subscriber = chat.stream("claude-sonnet-4-5", conversation())
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        subscriber.awaitFailure(TIMEOUT);
        assertThat(subscriber.getItems()).extracting(c -> c.choices().getFirst().content()).containsExactly("", "Partial");
        assertThat(subscriber.getFailure()).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED));
    }

    @Test
    void cancellingTheStreamAbortsTheUpstreamRequest() throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        CLOSED.set(closed);
        REPLY.set(sse("stream-truncated.sse", true));
        AssertSubscriber<ChatChunk> subscriber = chat.stream("claude-sonnet-4-5", conversation())
                .subscribe().withSubscriber(AssertSubscriber.create(1));

        subscriber.awaitItems(1, TIMEOUT);
        assertThat(subscriber.getItems().getFirst().choices().getFirst().role()).isEqualTo(Role.ASSISTANT);
        subscriber.cancel();

        closed.get(5, TimeUnit.SECONDS);
        assertThat(closed).as("the server saw the upstream connection closed").isCompleted();
    }

    private static ChatRequest conversation() {
        return request(Message.text(Role.SYSTEM, "Be brief."), Message.text(Role.USER, "Hello"));
    }

    private static Reply error(int status, String fixture, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/json");
        return new Reply(status, all, AnthropicFixtures.bytes(fixture), false);
    }

    private static Reply sse(String fixture, boolean holdOpen) {
        return new Reply(200, Map.of("content-type", "text/event-stream", "cache-control", "no-cache"),
                AnthropicFixtures.bytes(fixture), holdOpen);
    }

    private static void respond(HttpServerResponse response, Reply reply) {
        response.setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        if (!reply.holdOpen() && !"text/event-stream".equals(reply.headers().get("content-type"))) {
            response.end(Buffer.buffer(reply.body()));
            return;
        }
        response.setChunked(true);
        byte[] body = reply.body();
        for (int i = 0; i < body.length; i += 16) {
            response.write(Buffer.buffer(Arrays.copyOfRange(body, i, Math.min(body.length, i + 16))));
        }
        if (reply.holdOpen()) {
            CompletableFuture<Void> closed = CLOSED.get();
            response.closeHandler(v -> closed.complete(null));
        } else {
            response.end();
        }
    }
}
