package dev.fundament.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.config.TimeoutsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.Provider;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a stream from an OpenAI-compatible upstream ends, against a local server that misbehaves as
 * the user message asks: only a {@code data: [DONE]} after the answer completes it; an upstream that
 * closes early, says nothing, or stalls fails it, with a kind that tells whether the caller had seen
 * anything (before: another target may be tried; after: {@code stream_interrupted}). The provider's
 * timeouts are short here (first token and idle 400 ms, total 2 s), so each case ends quickly.
 */
class OpenAiChatProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
    private static final String LAST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    private static Vertx vertx;
    private static Provider provider;
    private static ChatProvider chat;
    private static volatile CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            HttpServerResponse response = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            CompletableFuture<Void> closed = upstreamClosed;
            response.closeHandler(v -> closed.complete(null));
            String text = body.toString();
            if (text.contains("whole")) {
                response.end(CHUNK + LAST + "data: [DONE]\n\n");
            } else if (text.contains("done-only")) {
                response.end("data: [DONE]\n\n");
            } else if (text.contains("silent-close")) {
                response.end();
            } else if (text.contains("cut")) {
                response.end(CHUNK);
            } else if (text.contains("stall")) {
                response.write(CHUNK);
            } else if (text.contains("trickle")) {
                long timer = vertx.setPeriodic(100, id -> response.write(CHUNK));
                response.closeHandler(v -> {
                    vertx.cancelTimer(timer);
                    closed.complete(null);
                });
            } else { // "mute": headers only, then nothing
                response.writeHead();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        TimeoutsSpec timeouts = new TimeoutsSpec(null, Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofSeconds(2));
        ProviderSpec spec = new ProviderSpec(ProviderType.OPENAI, "http://127.0.0.1:" + server.actualPort() + "/v1", null, null,
                null, timeouts, null, null, null, null, null, null, null, null, null);
        provider = new OpenAiProviderFactory().create("odd", spec, "sk-test", vertx);
        chat = provider.chat().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void onlyDoneCompletesAStream() {
        AssertSubscriber<ChatChunk> whole = subscribe("whole");
        whole.awaitCompletion(WAIT);
        assertThat(whole.getItems()).hasSize(2);

        AssertSubscriber<ChatChunk> empty = subscribe("done-only");
        empty.awaitCompletion(WAIT);
        assertThat(empty.getItems()).as("a clean end with nothing in it: the target loop fails it, not the provider").isEmpty();
    }

    @Test
    void anUpstreamThatClosesWithoutAWordMayBeReplacedByAnotherTarget() {
        GatewayException e = failure(subscribe("silent-close"));
        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_INVALID_RESPONSE);
        assertThat(e.kind().fallback()).isTrue();
        assertThat(e.getMessage()).contains("no 'data: [DONE]'");
    }

    @Test
    void anUpstreamThatClosesAfterAChunkInterruptsTheStream() {
        AssertSubscriber<ChatChunk> s = subscribe("cut");
        GatewayException e = failure(s);
        assertThat(s.getItems()).hasSize(1);
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void aStallAfterTheFirstChunkEndsWithinTheIdleTimeoutAndClosesTheUpstream() throws Exception {
        upstreamClosed = new CompletableFuture<>();
        AssertSubscriber<ChatChunk> s = subscribe("stall");
        GatewayException e = failure(s);
        assertThat(s.getItems()).hasSize(1);
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED);
        assertThat(e.getMessage()).contains("sent nothing for 400 ms").contains("providers.odd.timeouts.idle");
        upstreamClosed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void noFirstTokenWithinItsTimeoutIsATimeoutBeforeAnyChunk() {
        AssertSubscriber<ChatChunk> s = subscribe("mute");
        GatewayException e = failure(s);
        assertThat(s.getItems()).isEmpty();
        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(e.getMessage()).contains("providers.odd.timeouts.first_token");
    }

    @Test
    void aStreamThatNeverEndsIsCutAtTheTotalTimeout() throws Exception {
        upstreamClosed = new CompletableFuture<>();
        AssertSubscriber<ChatChunk> s = subscribe("trickle");
        GatewayException e = failure(s);
        assertThat(s.getItems()).as("chunks kept coming, so idle never ran out").hasSizeGreaterThan(3);
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED);
        assertThat(e.getMessage()).contains("did not finish within 2000 ms").contains("providers.odd.timeouts.total");
        upstreamClosed.get(5, TimeUnit.SECONDS);
    }

    private static AssertSubscriber<ChatChunk> subscribe(String behaviour) {
        ChatRequest request = new ChatRequest("m", List.of(Message.text(Role.USER, behaviour)), true, false, List.of(), null,
                null, null, null, null, null, List.of(), null, Map.of());
        return chat.stream("m", request).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    private static GatewayException failure(AssertSubscriber<ChatChunk> subscriber) {
        subscriber.awaitFailure(WAIT);
        assertThat(subscriber.getFailure()).isInstanceOf(GatewayException.class);
        return (GatewayException) subscriber.getFailure();
    }
}
