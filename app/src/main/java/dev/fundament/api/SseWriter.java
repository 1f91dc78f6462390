package dev.fundament.api;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import dev.fundament.gateway.RequestContext;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.openai.OpenAiResponseWriter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;

/**
 * Writes a chunk stream to the client as server-sent events, the way OpenAI does. It renders what
 * the pipeline decided ({@code gateway.ChatPipeline#stream} states the contract): completion means a
 * real success and is the only way to {@code data: [DONE]}; a failure is an HTTP error in OpenAI's
 * shape when no byte was sent yet, else an {@code error} event that ends the stream without
 * {@code [DONE]}.
 *
 * <ul>
 *   <li>Headers go out with the first chunk, so an upstream that fails before answering still gets a
 *       proper HTTP error status (and the route could fall back). Each chunk is written, and so
 *       flushed, as it comes: the first one reaches the caller at once, however long the next takes.</li>
 *   <li>Backpressure: one chunk is requested at a time, and the next only once the socket's write
 *       queue has room, so a slow client holds at most one write queue of data, however long the
 *       answer.</li>
 *   <li>A client that disconnects cancels the subscription, which aborts the upstream request. The
 *       disconnect is heard through {@code rc.addEndHandler}, never {@code response.closeHandler}: the
 *       response has one close handler, and Vert.x Web's, which runs every end handler on a
 *       disconnect, must stay in place (and would replace ours if an end handler came after it).</li>
 *   <li>A stream that fails after it started ends with an {@code error} event and no {@code [DONE]},
 *       so a client can never mistake a broken answer for a complete one.</li>
 * </ul>
 * Runs on the request's event loop.
 */
final class SseWriter implements MultiSubscriber<ChatChunk> {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final RoutingContext rc;
    private final HttpServerResponse response;
    private final RequestContext ctx;
    private Flow.Subscription subscription;
    private boolean started;
    private boolean finished;

    SseWriter(RoutingContext rc, RequestContext ctx) {
        this.rc = rc;
        this.response = rc.response();
        this.ctx = ctx;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        // Every end of ours is marked finished before it happens: an end we did not make is the client going away.
        rc.addEndHandler(ended -> disconnected());
        if (response.closed()) {
            disconnected(); // gone before the stream began: no end handler will run any more
            return;
        }
        s.request(1);
    }

    private void disconnected() {
        if (!finished) {
            finished = true;
            subscription.cancel();
        }
    }

    @Override
    public void onItem(ChatChunk chunk) {
        if (finished) {
            return;
        }
        start();
        response.write(event(OpenAiResponseWriter.chunk(chunk)));
        if (response.writeQueueFull()) {
            response.drainHandler(v -> subscription.request(1));
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        if (finished) {
            return;
        }
        finished = true;
        if (!started) {
            ErrorResponses.send(response, failure);
            return;
        }
        GatewayException e = ErrorResponses.normalize(failure);
        if (e.kind() != ErrorKind.STREAM_INTERRUPTED && e.kind() != ErrorKind.CONTENT_BLOCKED) {
            e = new GatewayException(ErrorKind.STREAM_INTERRUPTED, e.getMessage());
        }
        ErrorResponses.log(e);
        response.end(event(ErrorResponses.body(e)));
    }

    @Override
    public void onCompletion() {
        if (finished) {
            return;
        }
        finished = true;
        start();
        response.end(DONE);
    }

    private void start() {
        if (!started) {
            started = true;
            response.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            ctx.responseHeaders().forEach(response::putHeader);
        }
    }

    private static Buffer event(byte[] json) {
        return Buffer.buffer(json.length + 8).appendBytes(DATA).appendBytes(json).appendBytes(END);
    }
}
