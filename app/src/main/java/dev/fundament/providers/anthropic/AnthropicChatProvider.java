package dev.fundament.providers.anthropic;

import dev.fundament.config.ProviderSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.http.SseDecoder;
import dev.fundament.providers.http.SseEvent;
import dev.fundament.providers.http.UpstreamHttp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat completions against Anthropic's Messages API, {@code POST /v1/messages}.
 *
 * <p>The request is mapped when the {@link Uni} or {@link Multi} is subscribed, so both stay cold and
 * a request Anthropic cannot take fails the subscription rather than the call. Streams are decoded one
 * network read at a time: bytes → {@link SseDecoder} → events → {@link AnthropicStreamParser} →
 * chunks, through {@code transformToIterable}, so the subscriber's demand reaches the upstream socket
 * and a cancellation resets the upstream request ({@link UpstreamHttp#postForStream}).
 *
 * <p>Headers: {@code x-api-key}, {@code anthropic-version: 2023-06-01} and the JSON content type,
 * then the provider's configured {@code headers}, which win (to pin another API version or add
 * {@code anthropic-beta}). A base URL that already ends in {@code /v1} is accepted too, because
 * OpenAI-style base URLs do.
 */
final class AnthropicChatProvider implements ChatProvider {

    static final String API_VERSION = "2023-06-01";

    private final UpstreamHttp http;
    private final Map<String, String> headers;
    private final int defaultMaxTokens;
    private final String path;

    AnthropicChatProvider(UpstreamHttp http, ProviderSpec spec, String apiKey) {
        this.http = http;
        this.defaultMaxTokens = spec.defaultMaxTokens();
        this.path = http.basePath().endsWith("/v1") ? "/messages" : "/v1/messages";
        Map<String, String> h = new LinkedHashMap<>();
        if (apiKey != null) {
            h.put("x-api-key", apiKey);
        }
        h.put("anthropic-version", API_VERSION);
        h.put("content-type", "application/json");
        h.put("accept", "application/json, text/event-stream");
        h.putAll(spec.headers());
        this.headers = Collections.unmodifiableMap(h);
    }

    /** @return the headers of every request: credentials, version */
    Map<String, String> headers() {
        return headers;
    }

    @Override
    public Uni<ChatResult> chat(String upstreamModel, ChatRequest request) {
        return Uni.createFrom().deferred(() -> {
            AnthropicRequestMapper.Mapped mapped = AnthropicRequestMapper.map(request, upstreamModel, defaultMaxTokens,
                    false);
            return http.postForBody(path, headers, Buffer.buffer(mapped.body()))
                    .onItem().transform(bytes -> {
                        try {
                            return AnthropicResponseMapper.result(bytes.getBytes(), mapped.schemaTool(), now());
                        } catch (IOException e) {
                            throw new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, "Provider '"
                                    + http.provider() + "' sent an answer that is not an Anthropic message: "
                                    + e.getMessage());
                        }
                    });
        });
    }

    @Override
    public Multi<ChatChunk> stream(String upstreamModel, ChatRequest request) {
        return Multi.createFrom().deferred(() -> {
            AnthropicRequestMapper.Mapped mapped = AnthropicRequestMapper.map(request, upstreamModel, defaultMaxTokens,
                    true);
            SseDecoder decoder = new SseDecoder();
            AnthropicStreamParser parser = new AnthropicStreamParser(http.provider(), mapped.schemaTool(), now());
            return http.postForStream(path, headers, Buffer.buffer(mapped.body()))
                    .onItem().transformToIterable(bytes -> decode(decoder, parser, bytes.getBytes()))
                    .onCompletion().switchTo(() -> parser.complete() ? Multi.createFrom().empty()
                            : Multi.createFrom().failure(parser.truncated()))
                    .onFailure().transform(parser::failure);
        });
    }

    private static List<ChatChunk> decode(SseDecoder decoder, AnthropicStreamParser parser, byte[] bytes) {
        List<SseEvent> events = decoder.feed(bytes);
        List<ChatChunk> chunks = new ArrayList<>(events.size());
        for (SseEvent event : events) {
            chunks.addAll(parser.accept(event));
        }
        return chunks;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
