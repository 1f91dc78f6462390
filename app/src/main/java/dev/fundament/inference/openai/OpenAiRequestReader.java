package dev.fundament.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OpenAI chat and embedding requests into inference types, checking each field Fundament
 * models. A problem throws a {@link GatewayException} whose {@code param} is the path of the field
 * ({@code messages[2].content[0].text}) and whose message says what was expected.
 *
 * <p>{@code max_tokens} and {@code max_completion_tokens} are read into
 * {@link ChatRequest#maxTokens()} and also kept as extensions, so an OpenAI-compatible upstream receives
 * the field under the name the caller used (reasoning models accept only the newer one, older servers
 * only the older one).
 *
 * <p>Sampling parameters are checked against OpenAI's documented ranges ({@link ChatParameters}), also
 * those Fundament only forwards, so an upstream never sees {@code n: -1} or {@code temperature: 1e308}
 * and the worst-case cost can trust {@code n}. Identifiers that reach the ledger, the audit trail,
 * logs or metrics ({@code model}, {@code user}) are bounded by {@link Bounds}; text that cannot be
 * encoded for an upstream (a NUL character, a lone surrogate) is refused here, not by an upstream.
 */
public final class OpenAiRequestReader {

    private static final Set<String> CHAT_FIELDS = Set.of("model", "messages", "stream", "stream_options", "tools",
            "tool_choice", "parallel_tool_calls", "response_format", "temperature", "top_p", "stop", "user");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "name", "tool_calls", "tool_call_id");

    private OpenAiRequestReader() {
    }

    public static ChatRequest chat(JsonNode body) {
        ObjectNode root = object(body);
        String model = Bounds.check(requiredString(root, "model"), Bounds.MODEL, "model");
        ChatParameters.check(root);
        JsonNode messagesNode = root.get("messages");
        if (messagesNode == null || messagesNode.isNull()) {
            throw missing("messages");
        }
        if (!messagesNode.isArray()) {
            throw type("messages", "an array of message objects", messagesNode);
        }
        if (messagesNode.isEmpty()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST,
                    "'messages' must contain at least one message.", "messages");
        }
        List<Message> messages = new ArrayList<>(messagesNode.size());
        for (int i = 0; i < messagesNode.size(); i++) {
            messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
        }
        boolean stream = bool(root, "stream");
        boolean includeUsage = false;
        JsonNode options = root.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw type("stream_options", "an object such as {\"include_usage\": true}", options);
            }
            includeUsage = bool(options, "include_usage", "stream_options.include_usage");
        }
        Integer maxTokens = ChatParameters.maxTokens(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = ChatParameters.maxTokens(root, "max_tokens");
        }
        Map<String, JsonNode> extensions = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!CHAT_FIELDS.contains(field.getKey())) {
                extensions.put(field.getKey(), field.getValue());
            }
        }
        return new ChatRequest(model, messages, stream, includeUsage, tools(root.get("tools")),
                toolChoice(root.get("tool_choice")), optionalBool(root, "parallel_tool_calls"),
                responseFormat(root.get("response_format")), maxTokens, number(root, "temperature"),
                number(root, "top_p"), stop(root.get("stop")), Bounds.check(optionalString(root, "user"), Bounds.USER, "user"),
                extensions);
    }

    /** An embedding request and whether the caller wants base64-encoded vectors. */
    public record Embedding(EmbeddingRequest request, boolean base64) {
    }

    public static Embedding embedding(JsonNode body) {
        ObjectNode root = object(body);
        String model = Bounds.check(requiredString(root, "model"), Bounds.MODEL, "model");
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            throw missing("input");
        }
        List<String> inputs = new ArrayList<>();
        Map<String, JsonNode> extensions = new HashMap<>();
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray() && !input.isEmpty() && allText(input)) {
            input.forEach(n -> inputs.add(n.asText()));
        } else if (input.isArray() && !input.isEmpty()) {
            extensions.put("input", input);
        } else {
            throw type("input", "a string or a non-empty array of strings", input);
        }
        for (int i = 0; i < inputs.size(); i++) {
            embeddingInput(inputs.get(i), input.isTextual() ? "input" : "input[" + i + "]");
        }
        Integer dimensions = integer(root, "dimensions");
        String format = optionalString(root, "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid 'encoding_format': '" + format
                    + "'. Supported: 'float', 'base64'.", "encoding_format");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!Set.of("model", "input", "dimensions", "encoding_format", "user").contains(field.getKey())) {
                extensions.put(field.getKey(), field.getValue());
            }
        }
        EmbeddingRequest request = new EmbeddingRequest(model, inputs, dimensions,
                Bounds.check(optionalString(root, "user"), Bounds.USER, "user"), extensions);
        return new Embedding(request, "base64".equals(format));
    }

    /**
     * OpenAI refuses an empty input; whitespace alone has no token to embed either (an in-process
     * model would pool over nothing). Text that cannot be encoded is refused before any model sees it.
     */
    private static void embeddingInput(String text, String path) {
        if (text.isBlank()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + path + "' is " + (text.isEmpty() ? "empty" : "only whitespace")
                    + "; each input must contain text to embed.", path);
        }
        text(text, path);
    }

    /** Text for a model: any length, but nothing an upstream's JSON or tokenizer cannot take. */
    private static String text(String text, String path) {
        String problem = Bounds.textProblem(text);
        if (problem != null) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + path + "' contains " + problem + "; send valid Unicode text.", path);
        }
        return text;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static Message message(JsonNode node, String path) {
        if (!(node instanceof ObjectNode m)) {
            throw type(path, "a message object with 'role' and 'content'", node);
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || roleNode.isNull()) {
            throw missing(path + ".role");
        }
        Role role = roleNode.isTextual() ? Role.fromWire(roleNode.asText()) : null;
        if (role == null) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid value for '" + path + ".role': "
                    + (roleNode.isTextual() ? "'" + roleNode.asText() + "'" : roleNode.toString()) + ". Supported values are: 'system', 'developer', 'user', 'assistant', 'tool'.",
                    path + ".role");
        }
        JsonNode content = m.get("content");
        List<ContentPart> parts = new ArrayList<>(1);
        boolean textOnly = false;
        if (content == null || content.isNull()) {
            if (role != Role.ASSISTANT) {
                throw missing(path + ".content");
            }
        } else if (content.isTextual()) {
            parts.add(new ContentPart.Text(text(content.asText(), path + ".content")));
            textOnly = true;
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                parts.add(part(content.get(i), path + ".content[" + i + "]"));
            }
        } else {
            throw type(path + ".content", "a string or an array of content parts", content);
        }
        List<ToolCall> toolCalls = toolCalls(m.get("tool_calls"), path + ".tool_calls");
        String toolCallId = optionalString(m, "tool_call_id", path + ".tool_call_id");
        if (role == Role.TOOL && toolCallId == null) {
            throw missing(path + ".tool_call_id");
        }
        Map<String, JsonNode> extensions = Map.of();
        if (m.size() > 2) {
            extensions = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!MESSAGE_FIELDS.contains(field.getKey())) {
                    extensions.put(field.getKey(), field.getValue());
                }
            }
        }
        return new Message(role, parts, textOnly, optionalString(m, "name", path + ".name"), toolCalls, toolCallId,
                extensions);
    }

    private static ContentPart part(JsonNode node, String path) {
        if (!(node instanceof ObjectNode p)) {
            throw type(path, "a content part object with a 'type'", node);
        }
        String type = requiredString(p, "type", path + ".type");
        return switch (type) {
            case "text" -> new ContentPart.Text(text(requiredString(p, "text", path + ".text"), path + ".text"));
            case "image_url" -> {
                JsonNode image = p.get("image_url");
                if (image != null && image.isTextual()) {
                    yield new ContentPart.Image(image.asText(), null);
                }
                if (image == null || !image.isObject()) {
                    throw missing(path + ".image_url");
                }
                yield new ContentPart.Image(requiredString(image, "url", path + ".image_url.url"),
                        optionalString(image, "detail", path + ".image_url.detail"));
            }
            default -> new ContentPart.Other(type, p);
        };
    }

    private static List<ToolCall> toolCalls(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw type(path, "an array of tool calls", node);
        }
        List<ToolCall> calls = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode call = node.get(i);
            JsonNode function = call.get("function");
            if (function == null || !function.isObject()) {
                throw missing(p + ".function");
            }
            JsonNode arguments = function.get("arguments");
            String args = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isTextual() ? arguments.asText() : arguments.toString();
            calls.add(new ToolCall(requiredString(call, "id", p + ".id"),
                    requiredString(function, "name", p + ".function.name"), args));
        }
        return calls;
    }

    private static List<ToolDefinition> tools(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw type("tools", "an array of tool objects", node);
        }
        List<ToolDefinition> tools = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = node.get(i);
            String type = requiredString(tool, "type", path + ".type");
            if (!type.equals("function")) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid value for '" + path + ".type': '" + type
                        + "'. Supported: 'function'.", path + ".type");
            }
            JsonNode f = tool.get("function");
            if (f == null || !f.isObject()) {
                throw missing(path + ".function");
            }
            JsonNode parameters = f.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw type(path + ".function.parameters", "a JSON schema object", parameters);
            }
            tools.add(new ToolDefinition(requiredString(f, "name", path + ".function.name"),
                    optionalString(f, "description", path + ".function.description"),
                    parameters instanceof ObjectNode o ? o : null, optionalBool(f, "strict")));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "auto" -> ToolChoice.Mode.AUTO;
                case "none" -> ToolChoice.Mode.NONE;
                case "required" -> ToolChoice.Mode.REQUIRED;
                default -> throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid value for 'tool_choice': '"
                        + node.asText() + "'. Supported: 'auto', 'none', 'required', or {\"type\": \"function\", "
                        + "\"function\": {\"name\": ...}}.", "tool_choice");
            };
        }
        JsonNode function = node.path("function");
        if (!function.isObject()) {
            throw missing("tool_choice.function");
        }
        return new ToolChoice.Function(requiredString(function, "name", "tool_choice.function.name"));
    }

    private static ResponseFormat responseFormat(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw type("response_format", "an object such as {\"type\": \"json_object\"}", node);
        }
        String type = requiredString(node, "type", "response_format.type");
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode js = node.get("json_schema");
                if (js == null || !js.isObject()) {
                    throw missing("response_format.json_schema");
                }
                JsonNode schema = js.get("schema");
                if (schema != null && !schema.isNull() && !schema.isObject()) {
                    throw type("response_format.json_schema.schema", "a JSON schema object", schema);
                }
                yield new ResponseFormat.JsonSchema(requiredString(js, "name", "response_format.json_schema.name"),
                        optionalString(js, "description", "response_format.json_schema.description"),
                        schema instanceof ObjectNode o ? o : null, optionalBool(js, "strict"));
            }
            default -> throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid value for 'response_format.type': '"
                    + type + "'. Supported: 'text', 'json_object', 'json_schema'.", "response_format.type");
        };
    }

    private static List<String> stop(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray() && allText(node)) {
            List<String> out = new ArrayList<>(node.size());
            node.forEach(n -> out.add(n.asText()));
            return out;
        }
        throw type("stop", "a string or an array of strings", node);
    }

    /** How deep a request body may nest: JSON schemas and tool arguments need a few dozen levels, not thousands. */
    public static final int MAX_DEPTH = 64;

    private static ObjectNode object(JsonNode body) {
        if (body instanceof ObjectNode o) {
            if (deeperThan(o, MAX_DEPTH)) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "The request body nests objects and arrays more than "
                        + MAX_DEPTH + " levels deep; flatten it.");
            }
            return o;
        }
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "The request body must be a JSON object, found "
                + describe(body) + ".");
    }

    /** Iterative, so a hostile body cannot overflow the stack here. */
    private static boolean deeperThan(JsonNode root, int limit) {
        ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.pop();
            int depth = depths.pop();
            if (depth > limit) {
                return true;
            }
            for (JsonNode child : node) {
                if (child.isContainerNode()) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
        return false;
    }

    private static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    private static String requiredString(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw missing(path);
        }
        if (!value.isTextual()) {
            throw type(path, "a string", value);
        }
        if (value.asText().isEmpty() && field.equals("model")) {
            throw new GatewayException(ErrorKind.MISSING_PARAMETER, "'model' must not be empty.", "model");
        }
        return value.asText();
    }

    private static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    private static String optionalString(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw type(path, "a string", value);
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field) {
        return bool(node, field, field);
    }

    private static boolean bool(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw type(path, "a boolean", value);
        }
        return value.booleanValue();
    }

    private static Boolean optionalBool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : bool(node, field);
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw type(field, "an integer", value);
        }
        if (value.intValue() < 1) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + field + "' must be at least 1, got "
                    + value.intValue() + ".", field);
        }
        return value.intValue();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw type(field, "a number", value);
        }
        return value.doubleValue();
    }

    private static GatewayException missing(String path) {
        return new GatewayException(ErrorKind.MISSING_PARAMETER, "Missing required parameter: '" + path + "'.", path);
    }

    private static GatewayException type(String path, String expected, JsonNode found) {
        return new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for '" + path + "': expected " + expected
                + ", but got " + describe(found) + ".", path);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.isArray() ? "an array" : "an object";
    }
}
