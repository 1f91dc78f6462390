package dev.fundament.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A complete, non-streamed answer.
 *
 * @param id         the upstream's completion id, or one Fundament made when the upstream has none
 * @param created    seconds since the epoch
 * @param model      the model that answered, as the upstream reports it
 * @param usage      token usage, never {@code null}
 * @param extensions top-level response fields Fundament does not model ({@code system_fingerprint}, ...)
 */
public record ChatResult(String id, long created, String model, List<Choice> choices, Usage usage,
                         Map<String, JsonNode> extensions) {

    public ChatResult {
        choices = List.copyOf(choices);
        extensions = Map.copyOf(extensions);
    }

    /**
     * One alternative answer.
     *
     * @param extensions choice fields Fundament does not model ({@code logprobs}, ...)
     */
    public record Choice(int index, Message message, FinishReason finishReason, Map<String, JsonNode> extensions) {
        public Choice {
            extensions = Map.copyOf(extensions);
        }
    }
}
