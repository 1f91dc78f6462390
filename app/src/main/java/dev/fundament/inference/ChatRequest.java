package dev.fundament.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A chat completion request, vendor-neutral.
 *
 * <p>Sampling parameters are kept as nullable boxed values: {@code null} means "not given", and a
 * provider sends only what the caller set, so the upstream's own defaults apply.
 *
 * @param model        the public model name the caller asked for
 * @param maxTokens    {@code max_completion_tokens} or the older {@code max_tokens}, whichever was given
 * @param includeUsage whether the caller asked for a usage chunk at the end of a stream
 * @param extensions   top-level fields Fundament does not model; forwarded to OpenAI-compatible upstreams
 */
public record ChatRequest(String model, List<Message> messages, boolean stream, boolean includeUsage,
                          List<ToolDefinition> tools, ToolChoice toolChoice, Boolean parallelToolCalls,
                          ResponseFormat responseFormat, Integer maxTokens, Double temperature, Double topP,
                          List<String> stop, String user, Map<String, JsonNode> extensions) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
        extensions = Map.copyOf(extensions);
    }

    /**
     * How many completions the request can generate: the larger of {@code n} and {@code best_of}
     * (forwarded as extensions, their ranges checked by the reader), 1 when neither is given. The
     * completion allowance of limits and budgets is multiplied by it.
     */
    public int choices() {
        int choices = 1;
        for (String field : new String[] {"n", "best_of"}) {
            JsonNode value = extensions.get(field);
            if (value != null && value.isIntegralNumber() && value.canConvertToInt()) {
                choices = Math.max(choices, value.intValue());
            }
        }
        return choices;
    }

    /** @return this request with other messages, everything else unchanged */
    public ChatRequest withMessages(List<Message> otherMessages) {
        return new ChatRequest(model, otherMessages, stream, includeUsage, tools, toolChoice, parallelToolCalls,
                responseFormat, maxTokens, temperature, topP, stop, user, extensions);
    }

    /** @return this request addressed to another model name, everything else unchanged */
    public ChatRequest withModel(String otherModel) {
        return new ChatRequest(otherModel, messages, stream, includeUsage, tools, toolChoice, parallelToolCalls,
                responseFormat, maxTokens, temperature, topP, stop, user, extensions);
    }
}
