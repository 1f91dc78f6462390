package dev.fundament.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Role;
import dev.fundament.providers.http.SseEvent;
import dev.fundament.providers.http.UpstreamErrors;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Anthropic event stream into OpenAI-shaped chunks. Stateful and not thread-safe: one
 * parser per stream, fed from the stream's event loop in order.
 *
 * <p>Anthropic numbers content blocks across text and tools; OpenAI numbers tool calls alone. The
 * parser keeps the map from block index to tool-call index (0, 1, ... in order of appearance), and
 * the blocks of the {@code json_schema} tool, whose input deltas are answer text (see
 * {@link AnthropicToolMapper}). Thinking deltas, signatures, citations and pings are dropped; unknown
 * event types are ignored, as Anthropic asks clients to do.
 *
 * <p>Invariants: the first chunk, and only it, carries {@link Role#ASSISTANT}. It is emitted with the
 * first content (a text or tool block, or the finish reason), not at {@code message_start}: until a
 * chunk is emitted the caller has seen nothing, so an {@code error} event (Anthropic reports overload
 * mid-stream with HTTP 200) still fails with a kind the route may fall back on. Once a chunk is
 * emitted, every failure is {@link ErrorKind#STREAM_INTERRUPTED}. The stream is complete only after
 * {@code message_stop}, which yields the final usage chunk (empty choices); events after it are
 * ignored.
 */
final class AnthropicStreamParser {

    private final String provider;
    private final String schemaTool;
    private final long created;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final Set<Integer> schemaBlocks = new HashSet<>();
    private String id = "";
    private String model = "";
    private AnthropicResponseMapper.Counts counts = AnthropicResponseMapper.Counts.NONE;
    private boolean callerToolCalls;
    private boolean emitted;
    private boolean complete;

    /**
     * @param provider   the provider's name, for error messages
     * @param schemaTool the tool emulating {@code json_schema}, or {@code null}
     * @param created    seconds since the epoch, stamped on every chunk
     */
    AnthropicStreamParser(String provider, String schemaTool, long created) {
        this.provider = provider;
        this.schemaTool = schemaTool;
        this.created = created;
    }

    /**
     * @return the chunks this event yields, often none
     * @throws GatewayException for an {@code error} event or an event that is not JSON
     */
    List<ChatChunk> accept(SseEvent event) {
        if (complete) {
            return List.of();
        }
        JsonNode data = parse(event.data());
        String type = data.path("type").asText(event.event() == null ? "" : event.event());
        List<ChatChunk> chunks = switch (type) {
            case "message_start" -> messageStart(data.path("message"));
            case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
            case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
            case "message_delta" -> messageDelta(data);
            case "message_stop" -> messageStop();
            case "error" -> throw error(data.path("error"));
            default -> List.of();
        };
        emitted |= !chunks.isEmpty();
        return chunks;
    }

    /** @return whether {@code message_stop} arrived */
    boolean complete() {
        return complete;
    }

    /** @return the failure for a stream that ended before {@code message_stop} */
    GatewayException truncated() {
        String why = "Provider '" + provider + "' ended the stream before 'message_stop'.";
        return emitted ? new GatewayException(ErrorKind.STREAM_INTERRUPTED, why)
                : new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, why);
    }

    /** @return how a transport or parsing failure is reported, given what the caller has seen */
    GatewayException failure(Throwable failure) {
        GatewayException mapped = UpstreamErrors.fromFailure(provider, failure);
        return emitted && mapped.kind() != ErrorKind.STREAM_INTERRUPTED ? interrupted(mapped.getMessage()) : mapped;
    }

    private List<ChatChunk> messageStart(JsonNode message) {
        id = message.path("id").asText("");
        model = message.path("model").asText("");
        counts = counts.merge(message.path("usage"));
        return List.of();
    }

    private List<ChatChunk> blockStart(int index, JsonNode block) {
        switch (block.path("type").asText("")) {
            case "text" -> {
                String text = block.path("text").asText("");
                return emitted && text.isEmpty() ? List.of() : content(text);
            }
            case "tool_use" -> {
                String name = block.path("name").asText("");
                if (name.equals(schemaTool)) {
                    schemaBlocks.add(index);
                    return emitted ? List.of() : content("");
                }
                int toolIndex = toolIndexByBlock.size();
                toolIndexByBlock.put(index, toolIndex);
                callerToolCalls = true;
                return toolCall(new ChatChunk.ToolCallDelta(toolIndex, block.path("id").asText(""), name, ""));
            }
            default -> {
                return List.of();
            }
        }
    }

    private List<ChatChunk> blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                return content(delta.path("text").asText(""));
            }
            case "input_json_delta" -> {
                String json = delta.path("partial_json").asText("");
                if (json.isEmpty()) {
                    return List.of();
                }
                if (schemaBlocks.contains(index)) {
                    return content(json);
                }
                Integer toolIndex = toolIndexByBlock.get(index);
                return toolIndex == null ? List.of() : toolCall(new ChatChunk.ToolCallDelta(toolIndex, null, null, json));
            }
            default -> {
                return List.of();
            }
        }
    }

    private List<ChatChunk> messageDelta(JsonNode data) {
        counts = counts.merge(data.path("usage"));
        FinishReason finish = AnthropicResponseMapper.finishReason(
                data.path("delta").path("stop_reason").asText(null), callerToolCalls);
        if (finish == null) {
            return List.of();
        }
        return chunk(null, List.of(), finish);
    }

    private List<ChatChunk> messageStop() {
        complete = true;
        return List.of(new ChatChunk(id, created, model, List.of(), counts.usage(), Map.of()));
    }

    private List<ChatChunk> content(String text) {
        return chunk(text, List.of(), null);
    }

    private List<ChatChunk> toolCall(ChatChunk.ToolCallDelta call) {
        return chunk(null, List.of(call), null);
    }

    private List<ChatChunk> chunk(String content, List<ChatChunk.ToolCallDelta> calls, FinishReason finish) {
        Role role = emitted ? null : Role.ASSISTANT;
        ChatChunk.Delta delta = new ChatChunk.Delta(0, role, content, calls, finish, Map.of());
        return List.of(new ChatChunk(id, created, model, List.of(delta), null, Map.of()));
    }

    private GatewayException error(JsonNode error) {
        String type = error.path("type").asText("error");
        String message = "Provider '" + provider + "' reported '" + type + "' during the stream: "
                + error.path("message").asText("(no message)");
        if (emitted) {
            return interrupted(message);
        }
        boolean overloaded = type.equals("overloaded_error") || type.equals("rate_limit_error");
        return new GatewayException(overloaded ? ErrorKind.UPSTREAM_RATE_LIMITED : ErrorKind.UPSTREAM_ERROR, message);
    }

    private JsonNode parse(String data) {
        try {
            JsonNode node = AnthropicJson.MAPPER.readTree(data);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // reported below, without echoing what may be prompt text
        }
        String why = "Provider '" + provider + "' sent a stream event that is not a JSON object.";
        throw emitted ? interrupted(why) : new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, why);
    }

    private GatewayException interrupted(String why) {
        return new GatewayException(ErrorKind.STREAM_INTERRUPTED, "The stream from provider '" + provider
                + "' broke after it had started: " + why);
    }
}
