package dev.fundament.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One streamed piece of an answer, shaped like OpenAI's {@code chat.completion.chunk}.
 *
 * @param choices    the deltas; empty in the final usage-only chunk
 * @param usage      set only on the chunk that reports usage (normally the last), otherwise {@code null}
 * @param extensions top-level chunk fields Fundament does not model
 */
public record ChatChunk(String id, long created, String model, List<Delta> choices, Usage usage,
                        Map<String, JsonNode> extensions) {

    public ChatChunk {
        choices = List.copyOf(choices);
        extensions = Map.copyOf(extensions);
    }

    /**
     * The change to one choice.
     *
     * @param role      set on the first delta of a choice
     * @param content   text to append, or {@code null}
     * @param toolCalls tool-call fragments: the first names id and function, later ones append arguments
     */
    public record Delta(int index, Role role, String content, List<ToolCallDelta> toolCalls,
                        FinishReason finishReason, Map<String, JsonNode> extensions) {
        public Delta {
            toolCalls = List.copyOf(toolCalls);
            extensions = Map.copyOf(extensions);
        }
    }

    /** A fragment of a streamed tool call; {@code id} and {@code name} only on the first fragment. */
    public record ToolCallDelta(int index, String id, String name, String arguments) {
    }
}
