package dev.fundament.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.config.TimeoutsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.Provider;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a stream from an OpenAI-compatible upstream ends, against a local server that misbehaves as
 * the user message asks: only a {@code data: [DONE]} after the answer completes it; an upstream that
 * closes early, says nothing, or stalls fails it, with a kind that tells whether the caller had seen
 * anything (before: another target may be tried; after: {@code stream_interrupted}). The provider's
 * timeouts are short here (first token and idle 400 ms, total 2 s), so each case ends quickly. A
 * second provider, "patient", has the same first-token and idle timeouts but a total of 30 s, for the
 * cases that must outlast an idle timeout; it counts the timers its streams' clocks set.
 */
class OpenAiChatProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
    private static final String LAST = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    private static final long IDLE_MS = 400;
    /** Chunks of about 2 KB each the "plenty" upstream sends: some 16 MB, far more than the sockets buffer. */
    private static final int PLENTY = 8_000;
    private static final String BIG_CHUNK = CHUNK.replace("\"Hi\"", "\"" + "x".repeat(2_000) + "\"");
    private static Vertx vertx;
    private static Provider provider;
    private static ChatProvider chat;
    private static Provider patientProvider;
    private static ChatProvider patient;
    private static volatile CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
    /** Completed when the "plenty" upstream could not write on: the reader (Fundament) stopped reading. */
    private static volatile CompletableFuture<Void> heldBack = new CompletableFuture<>();
    /** Timers the patient provider set, and those that fired or were cancelled. */
    private static final Set<Long> timersSet = ConcurrentHashMap.newKeySet();
    private static final Set<Long> timersDone = ConcurrentHashMap.newKeySet();

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
            } else if (text.contains("plenty")) {
                CompletableFuture<Void> full = heldBack;
                pump(response, new int[1], full);
            } else { // "mute": headers only, then nothing
                response.writeHead();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        TimeoutsSpec timeouts = new TimeoutsSpec(null, Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofSeconds(2));
        ProviderSpec spec = new ProviderSpec(ProviderType.OPENAI, "http://127.0.0.1:" + server.actualPort() + "/v1", null, null,
                null, timeouts, null, null, null, null, null, null, null, null, null);
        provider = new OpenAiProviderFactory().create("odd", spec, "sk-test", vertx);
        chat = provider.chat().orElseThrow();
        ProviderSpec patientSpec = new ProviderSpec(ProviderType.OPENAI, "http://127.0.0.1:" + server.actualPort() + "/v1", null,
                null, null, new TimeoutsSpec(null, Duration.ofMillis(IDLE_MS), Duration.ofMillis(IDLE_MS), Duration.ofSeconds(30)),
                null, null, null, null, null, null, null, null, null);
        patientProvider = new OpenAiProviderFactory().create("patient", patientSpec, "sk-test", countingTimers(vertx));
        patient = patientProvider.chat().orElseThrow();
    }

    /** Writes {@value #PLENTY} big chunks as fast as the reader takes them, then the end of the answer. */
    private static void pump(HttpServerResponse response, int[] sent, CompletableFuture<Void> full) {
        while (sent[0] < PLENTY) {
            if (response.writeQueueFull()) {
                full.complete(null);
                response.drainHandler(v -> pump(response, sent, full));
                return;
            }
            response.write(BIG_CHUNK);
            sent[0]++;
        }
        response.end(LAST + "data: [DONE]\n\n");
    }

    /** The Vert.x instance as the patient provider sees it: every timer it sets is noted, and so is its end. */
    @SuppressWarnings("unchecked")
    private static Vertx countingTimers(Vertx real) {
        return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class}, (proxy, method, args) -> {
            if (method.getName().equals("setTimer") && args.length == 2) {
                Handler<Long> handler = (Handler<Long>) args[1];
                long id = real.setTimer((Long) args[0], fired -> {
                    handler.handle(fired);
                    timersDone.add(fired);
                });
                timersSet.add(id);
                return id;
            }
            if (method.getName().equals("cancelTimer")) {
                timersDone.add((Long) args[0]);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static boolean clockRunning() {
        return !timersDone.containsAll(timersSet);
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        patientProvider.close();
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

    /**
     * A caller that reads slowly holds the upstream back (backpressure); that silence is ours, not the
     * upstream's, and must not count against the idle timeout. The caller takes one chunk; the
     * upstream, with some 16 MB more to send, is held back by the full sockets (an event, awaited);
     * the caller then asks for nothing for three idle timeouts (the pause is the case under test: it
     * only needs to be longer than the idle timeout, and a slower machine makes it longer, never
     * shorter) and finally takes the rest. The stream completes whole, and the upstream was never cut.
     */
    @Test
    void aSlowCallerIsNotCutByTheIdleTimeout() throws Exception {
        upstreamClosed = new CompletableFuture<>();
        heldBack = new CompletableFuture<>();
        AssertSubscriber<ChatChunk> s = subscribe(patient, "plenty", 1);
        s.awaitItems(1, WAIT);
        heldBack.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThatThrownBy(() -> s.awaitFailure(Duration.ofMillis(3 * IDLE_MS)))
                .as("no failure while the caller asks for nothing").isInstanceOf(AssertionError.class);
        assertThat(s.getItems()).hasSize(1);
        assertThat(upstreamClosed).as("the upstream is still being read from").isNotDone();

        s.request(Long.MAX_VALUE);
        s.awaitCompletion(Duration.ofSeconds(20));
        assertThat(s.getItems()).as("every chunk and the last one").hasSize(PLENTY + 1);
        assertThat(s.getItems().getLast().choices().getFirst().finishReason()).isEqualTo(FinishReason.STOP);
    }

    /**
     * A caller that goes away cancels the stream, before the first chunk or after some: the upstream
     * request is reset at once (its server sees the connection close, well before any timeout) and
     * the stream's clock stops (none of its timers is left to fire).
     */
    @Test
    void aCancelledStreamResetsTheUpstreamAndStopsItsClock() throws Exception {
        for (String behaviour : List.of("mute", "trickle")) {
            upstreamClosed = new CompletableFuture<>();
            AssertSubscriber<ChatChunk> s = subscribe(patient, behaviour, Long.MAX_VALUE);
            if (behaviour.equals("trickle")) {
                s.awaitItems(2, WAIT);
            } else {
                assertThat(within(5_000, OpenAiChatProviderTest::clockRunning)).as("waiting for the first token").isTrue();
            }
            assertThat(clockRunning()).as(behaviour + ": the stream's clock runs").isTrue();
            s.cancel();
            upstreamClosed.get(5, TimeUnit.SECONDS);
            assertThat(within(5_000, () -> !clockRunning())).as(behaviour + ": no timer of the stream is left").isTrue();
            assertThat(s.getFailure()).as(behaviour).isNull();
        }
    }

    private static boolean within(long millis, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return condition.getAsBoolean();
    }

    private static AssertSubscriber<ChatChunk> subscribe(String behaviour) {
        return subscribe(chat, behaviour, Long.MAX_VALUE);
    }

    private static AssertSubscriber<ChatChunk> subscribe(ChatProvider provider, String behaviour, long demand) {
        ChatRequest request = new ChatRequest("m", List.of(Message.text(Role.USER, behaviour)), true, false, List.of(), null,
                null, null, null, null, null, List.of(), null, Map.of());
        return provider.stream("m", request).subscribe().withSubscriber(AssertSubscriber.create(demand));
    }

    private static GatewayException failure(AssertSubscriber<ChatChunk> subscriber) {
        subscriber.awaitFailure(WAIT);
        assertThat(subscriber.getFailure()).isInstanceOf(GatewayException.class);
        return (GatewayException) subscriber.getFailure();
    }
}
