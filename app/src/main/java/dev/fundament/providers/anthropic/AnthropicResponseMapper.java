package dev.fundament.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an Anthropic {@code message} object into a {@link ChatResult} with one choice.
 *
 * <p>Text blocks are concatenated without separators (Anthropic splits one answer into several text
 * blocks around citations, so a separator would change the text); {@code tool_use} blocks become tool
 * calls whose arguments are the input serialized as JSON text; thinking and other block types are not
 * part of an OpenAI answer and are dropped. A {@code tool_use} block of the tool that emulates
 * {@code json_schema} (see {@link AnthropicToolMapper}) is the answer itself: its input becomes the
 * message text and the finish reason {@code stop}.
 *
 * <p>Usage invariant, shared with the stream parser: OpenAI counts cached prompt tokens inside
 * {@code prompt_tokens}, Anthropic reports them beside {@code input_tokens}, so input is the sum of
 * {@code input_tokens}, {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}, and
 * {@code cachedTokens} is the cache reads.
 */
final class AnthropicResponseMapper {

    private AnthropicResponseMapper() {
    }

    /**
     * @param schemaTool the tool emulating {@code json_schema}, or {@code null}
     * @param created    seconds since the epoch, as Anthropic reports no time
     * @throws IOException when the body is not an Anthropic message
     */
    static ChatResult result(byte[] body, String schemaTool, long created) throws IOException {
        JsonNode root = AnthropicJson.MAPPER.readTree(body);
        if (root == null || !root.isObject() || !root.path("content").isArray()) {
            throw new IOException("expected a message object with a 'content' array");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : root.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    String name = block.path("name").asText("");
                    String input = AnthropicJson.MAPPER.writeValueAsString(block.path("input"));
                    if (name.equals(schemaTool)) {
                        text.append(input);
                    } else {
                        calls.add(new ToolCall(block.path("id").asText(""), name, input));
                    }
                }
                default -> { }
            }
        }
        List<ContentPart> content = text.isEmpty() && !calls.isEmpty()
                ? List.of() : List.of(new ContentPart.Text(text.toString()));
        Message message = new Message(Role.ASSISTANT, content, true, null, calls, null, Map.of());
        FinishReason finish = finishReason(root.path("stop_reason").asText(null), !calls.isEmpty());
        ChatResult.Choice choice = new ChatResult.Choice(0, message, finish, Map.of());
        return new ChatResult(root.path("id").asText(""), created, root.path("model").asText(""), List.of(choice),
                Counts.NONE.merge(root.path("usage")).usage(), Map.of());
    }

    /**
     * @param stopReason      Anthropic's {@code stop_reason}, or {@code null} when not given yet
     * @param callerToolCalls whether the answer calls one of the caller's tools (not the schema tool)
     * @return the OpenAI finish reason, or {@code null} when {@code stopReason} is
     */
    static FinishReason finishReason(String stopReason, boolean callerToolCalls) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> callerToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Anthropic's four usage counts as reported so far. A stream reports them in {@code message_start}
     * and again, cumulatively and possibly only in part, in {@code message_delta}, so a later report
     * overrides only the counts it contains.
     */
    record Counts(int input, int cacheRead, int cacheCreation, int output) {

        static final Counts NONE = new Counts(0, 0, 0, 0);

        /** @return these counts overridden by the numbers present in an Anthropic {@code usage} object */
        Counts merge(JsonNode usage) {
            return new Counts(count(usage, "input_tokens", input), count(usage, "cache_read_input_tokens", cacheRead),
                    count(usage, "cache_creation_input_tokens", cacheCreation), count(usage, "output_tokens", output));
        }

        Usage usage() {
            return new Usage(input + cacheRead + cacheCreation, output, cacheRead, 0, false);
        }

        private static int count(JsonNode usage, String field, int otherwise) {
            JsonNode value = usage.path(field);
            return value.isNumber() ? value.asInt() : otherwise;
        }
    }
}
