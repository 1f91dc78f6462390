package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reads a chat request and decides the whole answer ({@link ChatAnswer}). The rules, in order:
 * <ol>
 *   <li>{@code model} and a non-empty {@code messages} array are required, {@code max_tokens} or
 *       {@code max_completion_tokens} must be a positive integer; anything else is ignored.</li>
 *   <li>With function {@code tools}, a {@code tool_choice} other than {@code "none"}, and a user
 *       message last, the answer is one call of the named (else the first) function, its arguments
 *       sampled from the function's parameter schema; after a {@code tool} message the model "reads"
 *       the result and answers in text.</li>
 *   <li>{@code response_format} {@code json_schema} answers JSON sampled from the schema;
 *       {@code json_object} answers {@code {"message":"<lorem>"}}; otherwise lorem text whose length
 *       is drawn from {@link SimulatorOptions#outputTokens()}.</li>
 *   <li>The token limit cuts the pieces and turns the finish reason into {@code length}, as OpenAI
 *       does, even if that leaves JSON unfinished.</li>
 * </ol>
 * JSON answers are cut into pieces of about four characters, a token's typical size, and at least
 * two, so a streamed tool call always arrives in several argument deltas.
 */
final class ChatPlanner {

    private static final int PIECE_CHARS = 4;

    private ChatPlanner() {
    }

    static ChatAnswer plan(JsonNode body, SimulatorOptions options, SplittableRandom random) {
        String model = BadRequest.requiredText(body, "model");
        JsonNode messages = messages(body);
        int limit = tokenLimit(body);
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = stream && body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode function = chosenFunction(body, messages);
        List<String> pieces;
        ChatAnswer.ToolCall call = null;
        String finish = "stop";
        if (function != null) {
            pieces = jsonPieces(SchemaSamples.objectJson(function.get("parameters")));
            call = new ChatAnswer.ToolCall("call_sim_" + token(random), function.path("name").asText());
            finish = "tool_calls";
        } else {
            JsonNode format = body.path("response_format");
            pieces = switch (format.path("type").asText("text")) {
                case "json_schema" -> jsonPieces(SchemaSamples.objectJson(format.path("json_schema").get("schema")));
                case "json_object" -> jsonObject(Lorem.words(random, options.outputTokens().draw(random)));
                default -> Lorem.words(random, options.outputTokens().draw(random));
            };
        }
        if (pieces.size() > limit) {
            pieces = pieces.subList(0, limit);
            finish = "length";
        }
        return new ChatAnswer("chatcmpl-sim-" + token(random), System.currentTimeMillis() / 1000, model, pieces, call,
                finish, promptTokens(messages), stream, includeUsage);
    }

    private static JsonNode messages(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw BadRequest.missing("messages");
        }
        if (!messages.isArray()) {
            throw BadRequest.invalidType("messages", "an array", messages);
        }
        if (messages.isEmpty()) {
            throw new BadRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an"
                    + " empty array instead.", "messages", "empty_array");
        }
        return messages;
    }

    private static int tokenLimit(JsonNode body) {
        int limit = BadRequest.optionalInt(body, "max_completion_tokens", -1, 1, Integer.MAX_VALUE);
        return limit > 0 ? limit : BadRequest.optionalInt(body, "max_tokens", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    }

    /** @return the {@code function} object of the tool to call, or {@code null} to answer in text */
    static JsonNode chosenFunction(JsonNode body, JsonNode messages) {
        JsonNode tools = body.get("tools");
        JsonNode choice = body.path("tool_choice");
        if (tools == null || !tools.isArray() || tools.isEmpty() || "none".equals(choice.asText())
                || !"user".equals(messages.get(messages.size() - 1).path("role").asText())) {
            return null;
        }
        String wanted = choice.isObject() ? choice.path("function").path("name").asText(null) : null;
        JsonNode first = null;
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            if (function.isObject() && first == null) {
                first = function;
            }
            if (wanted != null && wanted.equals(function.path("name").asText())) {
                return function;
            }
        }
        if (wanted != null) {
            throw BadRequest.invalidValue("tool_choice", "function '" + wanted + "' is not among the request's tools.");
        }
        return first;
    }

    /** @return a word-count estimate of the text, parts and tool-call arguments of all messages */
    static int promptTokens(JsonNode messages) {
        int words = 0;
        for (JsonNode m : messages) {
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                words += Lorem.countWords(content.asText());
            }
            for (JsonNode part : content) {
                words += Lorem.countWords(part.path("text").asText(""));
            }
            for (JsonNode call : m.path("tool_calls")) {
                words += Lorem.countWords(call.path("function").path("arguments").asText(""));
            }
        }
        return words;
    }

    /** @return {@code json} cut into pieces of up to {@value #PIECE_CHARS} characters, at least two */
    static List<String> jsonPieces(String json) {
        int size = Math.clamp(json.length() / 2, 1, PIECE_CHARS);
        List<String> out = new ArrayList<>(json.length() / size + 1);
        for (int start = 0; start < json.length(); ) {
            int end = Math.min(json.length(), start + size);
            if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
                end++;
            }
            out.add(json.substring(start, end));
            start = end;
        }
        return out;
    }

    private static List<String> jsonObject(List<String> words) {
        List<String> out = new ArrayList<>(words.size() + 2);
        out.add("{\"message\":\"");
        out.addAll(words);
        out.add("\"}");
        return out;
    }

    private static String token(SplittableRandom random) {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }
}
