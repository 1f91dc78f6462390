package dev.fundament.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Sends one {@link ChatAnswer} as OpenAI's server-sent events: a role chunk, one chunk per piece, a
 * chunk with the finish reason, the usage chunk if asked for, then {@code data: [DONE]}.
 *
 * <p>Pacing: the role chunk and the first token go out after the time to first token; token
 * {@code k} is due {@code k / tokensPerSecond} later. Each wake-up sends every token that is due, in
 * one write when they fit, so a late timer or a fast pace (above the 1 ms timer resolution) costs
 * neither throughput nor a system call per chunk; at 0 tokens per second a whole answer is one write.
 *
 * <p>Why 10,000 open streams cost no threads and leak nothing: the stream is a state machine driven
 * by one pending one-shot timer (or one drain handler) on its connection's event loop, never both.
 * When the socket's write queue is full it waits for the drain instead of buffering the answer; when
 * the client disconnects, the close handler cancels the timer and the stream is forgotten. Exactly one
 * of finishing, cutting and disconnecting ends it, and only that one decrements the open-stream count.
 *
 * <p>With {@code failAfterChunks}, once that many content chunks are written the stream is cut: once
 * the last chunk is flushed, the HTTP/1 connection is closed (HTTP/2: the stream is reset with
 * INTERNAL_ERROR), so the client sees the data and then a broken transfer, never {@code [DONE]}.
 *
 * <p>With {@code stallAfterChunks}, once that many content chunks are written nothing more is sent:
 * the connection stays open, silent, until the client gives up (a hung upstream).
 *
 * <p>Single-threaded: every method runs on the event loop of the request's connection.
 */
final class ChatStream {

    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final byte[] CHOICE = bytes("{\"index\":0,\"delta\":");
    private static final byte[] CONTENT = bytes("{\"content\":\"");
    private static final byte[] CONTENT_END = bytes("\"}");
    private static final byte[] ARGUMENTS = bytes("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"");
    private static final byte[] ARGUMENTS_END = bytes("\"}}]}");
    private static final byte[] EMPTY_DELTA = bytes("{}");
    private static final byte[] DONE = bytes("data: [DONE]\n\n");
    /** Bytes of chunks gathered into one write when several are due at once. */
    private static final int MAX_BATCH = 16 * 1024;
    /** HTTP/2 error code of a cut stream, so an HTTP/2 client sees a failure, not a clean end; HTTP/1 closes. */
    private static final long INTERNAL_ERROR = 2;

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final ChatAnswer answer;
    private final Traffic traffic;
    private final long ttftNanos;
    private final double tokensPerSecond;
    private final int failAfter;
    private final int stallAfter;
    /** {@code data: {"id":...,"choices":[} */
    private final byte[] head;
    /** {@code ,"logprobs":null,"finish_reason":null}]} ... \n\n} */
    private final byte[] tail;

    private boolean started;
    private boolean finished;
    private boolean stalled;
    private int next;
    private long firstTokenNanos;
    private long timer = -1;
    private Future<Void> lastWrite;

    ChatStream(Vertx vertx, HttpServerResponse response, ChatAnswer answer, SimulatorOptions options, Traffic traffic) {
        this.vertx = vertx;
        this.response = response;
        this.answer = answer;
        this.traffic = traffic;
        this.ttftNanos = options.ttft().toNanos();
        this.tokensPerSecond = options.tokensPerSecond();
        this.failAfter = options.failAfterChunks() == null ? -1 : options.failAfterChunks();
        this.stallAfter = options.stallAfterChunks() == null ? -1 : options.stallAfterChunks();
        StringBuilder h = new StringBuilder(160).append("data: {\"id\":\"").append(answer.id())
                .append("\",\"object\":\"chat.completion.chunk\",\"created\":").append(answer.created()).append(",\"model\":");
        ChatAnswer.quote(h, answer.model()).append(",\"system_fingerprint\":\"" + ChatAnswer.FINGERPRINT + "\",\"choices\":[");
        this.head = bytes(h.toString());
        this.tail = bytes(",\"logprobs\":null,\"finish_reason\":null}]" + (answer.includeUsage() ? ",\"usage\":null" : "") + "}\n\n");
    }

    void start() {
        if (response.closed()) {
            return;
        }
        traffic.streamOpened();
        response.closeHandler(v -> abandon());
        response.exceptionHandler(e -> abandon());
        if (ttftNanos > 0) {
            schedule(ttftNanos);
        } else {
            send();
        }
    }

    /**
     * Sends every chunk that is due, batched into writes of up to {@value #MAX_BATCH} bytes, then waits
     * for the next token, for the drain if the socket is backed up, or for nothing if the stream ended.
     */
    private void send() {
        timer = -1;
        if (finished) {
            return;
        }
        Buffer out = Buffer.buffer(512);
        if (!started) {
            started = true;
            firstTokenNanos = System.nanoTime();
            response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
            appendFirstChunk(out);
        }
        int due = due();
        while (next < due && next != failAfter && next != stallAfter) {
            appendPiece(out, answer.pieces().get(next++));
            traffic.chunkSent();
            if (out.length() >= MAX_BATCH) {
                lastWrite = response.write(out);
                out = Buffer.buffer(512);
                if (response.writeQueueFull()) {
                    awaitDrain();
                    return;
                }
            }
        }
        if (next == failAfter) {
            write(out);
            cut();
        } else if (next == stallAfter) {
            write(out); // and nothing more: the close handler forgets the stream when the client leaves
        } else if (next == answer.pieces().size()) {
            finish(out);
        } else {
            write(out);
            if (response.writeQueueFull()) {
                awaitDrain();
            } else {
                schedule(Math.round(next * 1e9 / tokensPerSecond) - (System.nanoTime() - firstTokenNanos));
            }
        }
    }

    /** The client reads slower than we write: wait for the socket to drain, and say so. */
    private void awaitDrain() {
        stalled = true;
        traffic.streamStalled();
        response.drainHandler(v -> {
            resume();
            send();
        });
    }

    private void resume() {
        if (stalled) {
            stalled = false;
            traffic.streamResumed();
        }
    }

    private void write(Buffer out) {
        if (out.length() > 0) {
            lastWrite = response.write(out);
        }
    }

    private int due() {
        int total = answer.pieces().size();
        if (tokensPerSecond <= 0) {
            return total;
        }
        double elapsed = (System.nanoTime() - firstTokenNanos) / 1e9;
        return (int) Math.min(total, 1 + (long) (elapsed * tokensPerSecond));
    }

    private void schedule(long nanos) {
        response.drainHandler(null);
        timer = vertx.setTimer(Math.max(1, (nanos + 999_999) / 1_000_000), id -> send());
    }

    private void finish(Buffer out) {
        end();
        appendChunk(out, EMPTY_DELTA, bytes(",\"logprobs\":null,\"finish_reason\":\"" + answer.finishReason() + "\"}]"
                + (answer.includeUsage() ? ",\"usage\":null" : "") + "}\n\n"));
        if (answer.includeUsage()) {
            StringBuilder usage = answer.usage(new StringBuilder(200).append("],\"usage\":")).append("}\n\n");
            out.appendBytes(head).appendString(usage.toString());
        }
        response.end(out.appendBytes(DONE));
    }

    /**
     * Resets after the last write and one more turn of the event loop: HTTP/2 flushes at the end of a
     * read, and a reset that comes first discards the stream's queued DATA frames.
     */
    private void cut() {
        end();
        if (lastWrite == null) {
            response.reset(INTERNAL_ERROR);
        } else {
            lastWrite.onComplete(ignored -> vertx.runOnContext(v -> response.reset(INTERNAL_ERROR)));
        }
    }

    /** The client went away: stop the clock, forget the stream. */
    private void abandon() {
        if (!finished) {
            end();
        }
    }

    private void end() {
        finished = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        response.drainHandler(null);
        resume();
        traffic.streamClosed();
    }

    private void appendFirstChunk(Buffer out) {
        StringBuilder delta = new StringBuilder(160).append("{\"role\":\"assistant\",\"content\":");
        ChatAnswer.ToolCall call = answer.toolCall();
        if (call == null) {
            delta.append("\"\"");
        } else {
            delta.append("null,\"tool_calls\":[{\"index\":0,\"id\":\"").append(call.id())
                    .append("\",\"type\":\"function\",\"function\":{\"name\":");
            ChatAnswer.quote(delta, call.name()).append(",\"arguments\":\"\"}}]");
        }
        appendChunk(out, bytes(delta.append(",\"refusal\":null}").toString()), tail);
    }

    private void appendPiece(Buffer out, String piece) {
        boolean text = answer.toolCall() == null;
        out.appendBytes(head).appendBytes(CHOICE).appendBytes(text ? CONTENT : ARGUMENTS)
                .appendBytes(JsonStringEncoder.getInstance().quoteAsUTF8(piece))
                .appendBytes(text ? CONTENT_END : ARGUMENTS_END).appendBytes(tail);
    }

    private void appendChunk(Buffer out, byte[] delta, byte[] end) {
        out.appendBytes(head).appendBytes(CHOICE).appendBytes(delta).appendBytes(end);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
