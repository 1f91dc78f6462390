package dev.fundament.providers.openai;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.openai.OpenAiRequestWriter;
import dev.fundament.inference.openai.OpenAiResponseReader;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.http.SseDecoder;
import dev.fundament.providers.http.SseEvent;
import dev.fundament.providers.http.UpstreamErrors;
import dev.fundament.providers.http.UpstreamHttp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat completions against an OpenAI-compatible server.
 *
 * <p>Streams: the upstream's SSE bytes are decoded incrementally and each {@code data:} payload read
 * as a chunk, one network read at a time, so demand from the client reaches the upstream socket. A
 * stream counts as complete only when {@code data: [DONE]} arrived; an upstream that closes earlier
 * yields {@link ErrorKind#STREAM_INTERRUPTED} once chunks went out, before that
 * {@link ErrorKind#UPSTREAM_INVALID_RESPONSE} (so another target may be tried), never a silently
 * truncated answer.
 */
final class OpenAiChatProvider implements ChatProvider {

    private final UpstreamHttp http;
    private final OpenAiEndpoints endpoints;
    private final boolean askForUsage;

    OpenAiChatProvider(UpstreamHttp http, OpenAiEndpoints endpoints, boolean askForUsage) {
        this.http = http;
        this.endpoints = endpoints;
        this.askForUsage = askForUsage;
    }

    @Override
    public Uni<ChatResult> chat(String upstreamModel, ChatRequest request) {
        Buffer body = Buffer.buffer(OpenAiRequestWriter.chat(request, endpoints.bodyModel(upstreamModel), false));
        return http.postForBody(endpoints.chatPath(upstreamModel), endpoints.headers(), body)
                .onItem().transform(bytes -> {
                    try {
                        return OpenAiResponseReader.result(bytes.getBytes());
                    } catch (IOException e) {
                        throw invalid(e);
                    }
                });
    }

    @Override
    public Multi<ChatChunk> stream(String upstreamModel, ChatRequest request) {
        boolean usage = askForUsage || request.includeUsage();
        Buffer body = Buffer.buffer(OpenAiRequestWriter.chat(request, endpoints.bodyModel(upstreamModel), usage));
        return Multi.createFrom().deferred(() -> {
            StreamState state = new StreamState();
            return http.postForStream(endpoints.chatPath(upstreamModel), endpoints.headers(), body)
                    .onItem().transformToIterable(bytes -> state.decode(bytes.getBytes()))
                    .onCompletion().switchTo(() -> state.done ? Multi.createFrom().empty()
                            : Multi.createFrom().failure(state.truncated()))
                    .onFailure().transform(state::failure);
        });
    }

    private GatewayException invalid(IOException e) {
        return new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, "Provider '" + http.provider()
                + "' sent an answer that is not a valid chat completion: " + e.getMessage());
    }

    /** Per-stream decoding state; touched only from the stream's event loop. */
    private final class StreamState {
        private final SseDecoder decoder = new SseDecoder();
        private boolean emitted;
        private boolean done;

        List<ChatChunk> decode(byte[] bytes) {
            List<SseEvent> events = decoder.feed(bytes);
            List<ChatChunk> chunks = new ArrayList<>(events.size());
            for (SseEvent event : events) {
                if (done) {
                    break;
                }
                if ("[DONE]".equals(event.data())) {
                    done = true;
                    continue;
                }
                try {
                    chunks.add(OpenAiResponseReader.chunk(event.data()));
                } catch (IOException e) {
                    throw emitted || !chunks.isEmpty() ? interrupted(e.getMessage()) : invalid(e);
                }
            }
            emitted |= !chunks.isEmpty();
            return chunks;
        }

        /** An end without {@code [DONE]}: broken after the caller saw chunks, else an answer that is no answer (the next target may be tried). */
        GatewayException truncated() {
            String why = "Provider '" + http.provider() + "' ended the stream before it was complete (no 'data: [DONE]').";
            return emitted ? new GatewayException(ErrorKind.STREAM_INTERRUPTED, why)
                    : new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, why);
        }

        GatewayException failure(Throwable f) {
            GatewayException mapped = UpstreamErrors.fromFailure(http.provider(), f);
            if (emitted && mapped.kind() != ErrorKind.STREAM_INTERRUPTED) {
                return interrupted(mapped.getMessage());
            }
            return mapped;
        }

        private GatewayException interrupted(String why) {
            return new GatewayException(ErrorKind.STREAM_INTERRUPTED, "The stream from provider '" + http.provider()
                    + "' broke after it had started: " + why);
        }
    }
}
