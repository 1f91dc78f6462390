package dev.fundament.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;

/**
 * One planned chat answer, decided in full before the first byte goes out: its tokens
 * ({@code pieces}, one per stream chunk), whether they are text or a tool call's arguments, and why it
 * ends. The plain and the streamed answer are two renderings of the same plan, so they always agree
 * on content and usage.
 *
 * <p>Invariant: {@code completion_tokens} is the number of pieces, and joining the pieces gives the
 * message content (or the tool call's arguments).
 *
 * @param id            {@code chatcmpl-sim-...}
 * @param created       Unix seconds
 * @param model         the request's model, echoed
 * @param pieces        the tokens, in order
 * @param toolCall      the tool call the pieces are the arguments of, or {@code null} for text
 * @param finishReason  {@code stop}, {@code length} or {@code tool_calls}
 * @param promptTokens  word-count estimate of the request's messages
 * @param stream        whether the request asked for server-sent events
 * @param includeUsage  whether a streamed answer ends with a usage chunk
 */
record ChatAnswer(String id, long created, String model, List<String> pieces, ToolCall toolCall, String finishReason,
                  int promptTokens, boolean stream, boolean includeUsage) {

    static final String FINGERPRINT = "fp_fundament_sim";

    /** A function call: {@code call_sim_...} and the function's name. */
    record ToolCall(String id, String name) {
    }

    int completionTokens() {
        return pieces.size();
    }

    /** @return the {@code chat.completion} JSON, shaped as OpenAI's */
    String completionJson() {
        StringBuilder b = new StringBuilder(400 + pieces.size() * 10);
        b.append("{\"id\":\"").append(id).append("\",\"object\":\"chat.completion\",\"created\":").append(created)
                .append(",\"model\":");
        quote(b, model).append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
        if (toolCall == null) {
            quote(b, String.join("", pieces));
        } else {
            b.append("null,\"tool_calls\":[{\"id\":\"").append(toolCall.id()).append("\",\"type\":\"function\",\"function\":{\"name\":");
            quote(b, toolCall.name()).append(",\"arguments\":");
            quote(b, String.join("", pieces)).append("}}]");
        }
        b.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"").append(finishReason).append("\"}],\"usage\":");
        usage(b).append(",\"system_fingerprint\":\"" + FINGERPRINT + "\"}");
        return b.toString();
    }

    /** Appends the {@code usage} object. */
    StringBuilder usage(StringBuilder b) {
        int completion = completionTokens();
        return b.append("{\"prompt_tokens\":").append(promptTokens).append(",\"completion_tokens\":").append(completion)
                .append(",\"total_tokens\":").append(promptTokens + completion)
                .append(",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}");
    }

    /** Appends {@code text} as a JSON string literal. */
    static StringBuilder quote(StringBuilder b, String text) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, b);
        return b.append('"');
    }
}
