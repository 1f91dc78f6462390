package dev.fundament.gateway;

import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.Usage;
import java.util.List;
import java.util.Map;

/**
 * Usage of one stream: the upstream's own report when it sends one, otherwise an estimate from the
 * text that went by (about four characters a token), so that every stream is accounted for, including
 * a cancelled or broken one. Also decides what of the usage the caller sees: the usage chunk only when
 * the caller asked for it, and a synthesized one when the caller asked but the upstream sent none.
 * Confined to the stream's event loop.
 */
final class StreamUsage {

    private final ChatRequest request;
    private Usage reported;
    private long outputChars;
    private String id = "chatcmpl-fundament";
    private String model = "";
    private long created = System.currentTimeMillis() / 1000;

    StreamUsage(ChatRequest request) {
        this.request = request;
    }

    void observe(ChatChunk chunk) {
        id = chunk.id();
        model = chunk.model();
        created = chunk.created();
        if (chunk.usage() != null) {
            reported = chunk.usage();
        }
        for (ChatChunk.Delta d : chunk.choices()) {
            if (d.content() != null) {
                outputChars += d.content().length();
            }
            for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
                outputChars += t.arguments() == null ? 0 : t.arguments().length();
            }
        }
    }

    /** @return false for a usage-only chunk the caller did not ask for */
    boolean forCaller(ChatChunk chunk) {
        return request.includeUsage() || !chunk.choices().isEmpty() || chunk.usage() == null;
    }

    ChatChunk withoutUsageUnlessAsked(ChatChunk chunk) {
        if (request.includeUsage() || chunk.usage() == null) {
            return chunk;
        }
        return new ChatChunk(chunk.id(), chunk.created(), chunk.model(), chunk.choices(), null, chunk.extensions());
    }

    /** @return a usage chunk to end the stream with, when the caller asked and the upstream sent none */
    ChatChunk closingChunk() {
        if (!request.includeUsage() || reported != null) {
            return null;
        }
        return new ChatChunk(id, created, model, List.of(), total(), Map.of());
    }

    Usage total() {
        if (reported != null) {
            return reported;
        }
        long inputChars = 0;
        for (Message m : request.messages()) {
            inputChars += m.text().length();
        }
        return new Usage(tokens(inputChars), tokens(outputChars), 0, 0, true);
    }

    private static int tokens(long chars) {
        return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
    }
}
