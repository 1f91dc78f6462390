package dev.fundament.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OpenAI-compatible upstream's answers: completions, stream chunks and embeddings. Lenient
 * where servers differ (a missing {@code created} or {@code id} is filled in), strict where the
 * answer would be meaningless: an answer that is not JSON or has no {@code choices} throws
 * {@link IOException}, which the provider reports as an invalid upstream response.
 */
public final class OpenAiResponseReader {

    private static final Set<String> RESULT_FIELDS = Set.of("id", "object", "created", "model", "choices", "usage");
    private static final Set<String> CHOICE_FIELDS = Set.of("index", "message", "delta", "finish_reason");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "tool_calls");

    private OpenAiResponseReader() {
    }

    public static ChatResult result(byte[] body) throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray()) {
            throw new IOException("the answer has no 'choices' array");
        }
        List<ChatResult.Choice> out = new ArrayList<>(choices.size());
        for (JsonNode c : choices) {
            JsonNode m = c.path("message");
            List<ContentPart> content = new ArrayList<>(1);
            JsonNode text = m.get("content");
            if (text != null && text.isTextual()) {
                content.add(new ContentPart.Text(text.asText()));
            }
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : m.path("tool_calls")) {
                JsonNode f = call.path("function");
                calls.add(new ToolCall(call.path("id").asText(), f.path("name").asText(), f.path("arguments").asText("")));
            }
            Message message = new Message(Role.ASSISTANT, content, true, null, calls, null, rest(m, MESSAGE_FIELDS));
            out.add(new ChatResult.Choice(c.path("index").asInt(out.size()), message,
                    FinishReason.fromWire(c.path("finish_reason").asText(null)), rest(c, CHOICE_FIELDS)));
        }
        return new ChatResult(root.path("id").asText("chatcmpl-" + System.nanoTime()),
                root.path("created").asLong(System.currentTimeMillis() / 1000), root.path("model").asText(""),
                out, usage(root.get("usage")), rest(root, RESULT_FIELDS));
    }

    /** Reads one {@code chat.completion.chunk} from an SSE {@code data:} payload. */
    public static ChatChunk chunk(String data) throws IOException {
        JsonNode root = Json.MAPPER.readTree(data);
        if (root == null || !root.isObject()) {
            throw new IOException("a stream event is not a JSON object");
        }
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            throw new IOException("the upstream reported an error mid-stream: " + error.path("message").asText(""));
        }
        JsonNode choices = root.path("choices");
        List<ChatChunk.Delta> deltas = new ArrayList<>(1);
        for (JsonNode c : choices) {
            JsonNode d = c.path("delta");
            List<ChatChunk.ToolCallDelta> calls = List.of();
            JsonNode toolCalls = d.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                calls = new ArrayList<>(toolCalls.size());
                for (JsonNode call : toolCalls) {
                    JsonNode f = call.path("function");
                    calls.add(new ChatChunk.ToolCallDelta(call.path("index").asInt(0), call.path("id").asText(null),
                            f.path("name").asText(null), f.path("arguments").asText(null)));
                }
            }
            JsonNode content = d.get("content");
            deltas.add(new ChatChunk.Delta(c.path("index").asInt(0), Role.fromWire(d.path("role").asText(null)),
                    content != null && content.isTextual() ? content.asText() : null, calls,
                    FinishReason.fromWire(c.path("finish_reason").asText(null)), rest(d, MESSAGE_FIELDS, c)));
        }
        JsonNode usage = root.get("usage");
        return new ChatChunk(root.path("id").asText(""), root.path("created").asLong(System.currentTimeMillis() / 1000),
                root.path("model").asText(""), deltas, usage != null && usage.isObject() ? usage(usage) : null,
                rest(root, RESULT_FIELDS));
    }

    public static EmbeddingResult embeddings(byte[] body) throws IOException {
        JsonNode root = Json.MAPPER.readTree(body);
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw new IOException("the answer has no 'data' array");
        }
        float[][] vectors = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            if (index < 0 || index >= vectors.length) {
                throw new IOException("embedding index " + index + " out of range");
            }
            vectors[index] = vector(item.path("embedding"));
        }
        List<float[]> out = new ArrayList<>(vectors.length);
        for (float[] v : vectors) {
            if (v == null) {
                throw new IOException("an embedding is missing");
            }
            out.add(v);
        }
        JsonNode usage = root.path("usage");
        int prompt = usage.path("prompt_tokens").asInt(0);
        return new EmbeddingResult(root.path("model").asText(""), out, new Usage(prompt, 0, 0, 0, false));
    }

    private static float[] vector(JsonNode node) throws IOException {
        if (node.isTextual()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(node.asText())).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(v);
            return v;
        }
        if (!node.isArray()) {
            throw new IOException("an embedding is neither an array nor base64");
        }
        float[] v = new float[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).floatValue();
        }
        return v;
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return Usage.NONE;
        }
        return new Usage(u.path("prompt_tokens").asInt(0), u.path("completion_tokens").asInt(0),
                u.path("prompt_tokens_details").path("cached_tokens").asInt(0),
                u.path("completion_tokens_details").path("reasoning_tokens").asInt(0), false);
    }

    private static Map<String, JsonNode> rest(JsonNode node, Set<String> known) {
        return rest(node, known, null);
    }

    /** Fields not in {@code known}; for deltas, also the choice-level extras such as {@code logprobs}. */
    private static Map<String, JsonNode> rest(JsonNode node, Set<String> known, JsonNode choice) {
        Map<String, JsonNode> out = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!known.contains(f.getKey()) && !f.getValue().isNull()) {
                out = out == null ? new HashMap<>() : out;
                out.put(f.getKey(), f.getValue());
            }
        }
        if (choice != null) {
            JsonNode logprobs = choice.get("logprobs");
            if (logprobs != null && !logprobs.isNull()) {
                out = out == null ? new HashMap<>() : out;
                out.put("logprobs", logprobs);
            }
        }
        return out == null ? Map.of() : out;
    }
}
