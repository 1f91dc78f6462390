package dev.fundament.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one walk over every text of a request or an answer, for detection and for rewriting alike, so
 * the two can never disagree about what was looked at. A guardrail that reads only message content
 * is passed by anything else that reaches the model or the caller, so this visits every field that
 * carries text: messages' text parts, image URLs, parts of other types (their JSON), participant
 * names, tool calls (ids, names, arguments) and tool results; tool definitions (names, descriptions,
 * parameter schemas); the response format and its schema; {@code user}, stop sequences, the named
 * tool choice; and every field Fundament does not model but forwards ({@code metadata} and any
 * other), at request and at message level. For answers: each choice's message the same way, tool-call
 * arguments included. JSON is visited leaf by leaf (strings, numbers as their text, and object keys
 * except JSON-schema keywords).
 *
 * <p>Fields are visited in a fixed order, and {@link #map} rebuilds only what a visitor changed: a
 * visitor returns the text it was given (the same instance) to leave a field alone.
 */
public final class TextFields {

    /** What a field is; the input stage judges prompt injection in {@link #CONTENT} of user and tool messages only. */
    public enum Kind { CONTENT, IMAGE_URL, PART, NAME, TOOL_CALL, MESSAGE_EXTRA, TOOL, RESPONSE_FORMAT, USER, STOP, TOOL_CHOICE, EXTRA }

    /**
     * One text.
     *
     * @param path    where it is, as the OpenAI JSON names it ({@code messages[1].tool_calls[0].function.arguments})
     * @param message the message index (the choice index in an answer), {@code -1} outside messages
     * @param role    the message's role, {@code null} outside messages
     */
    public record Field(Kind kind, String path, int message, Role role, String text) {
    }

    /** Sees each field; returns its text unchanged (the same instance) or a replacement. */
    @FunctionalInterface
    public interface Visitor {
        String visit(Field field);
    }

    /** Keys of JSON schemas: structure, not content, so not read. */
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "properties", "required", "items", "description",
            "enum", "additionalProperties", "title", "default", "format", "minimum", "maximum", "minLength", "maxLength",
            "minItems", "maxItems", "pattern", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "const",
            "examples", "nullable", "strict", "name", "schema", "text", "url", "detail", "image_url");

    private TextFields() {
    }

    /** @return every text of the request, in visiting order */
    public static List<Field> of(ChatRequest request) {
        List<Field> out = new ArrayList<>();
        map(request, f -> {
            out.add(f);
            return f.text();
        });
        return out;
    }

    /** @return every text of the answer, in visiting order */
    public static List<Field> of(ChatResult result) {
        List<Field> out = new ArrayList<>();
        map(result, f -> {
            out.add(f);
            return f.text();
        });
        return out;
    }

    /** @return the request with each field replaced by what the visitor returned; the same request when nothing changed */
    public static ChatRequest map(ChatRequest r, Visitor v) {
        boolean changed = false;
        List<Message> messages = new ArrayList<>(r.messages().size());
        for (int i = 0; i < r.messages().size(); i++) {
            Message m = r.messages().get(i);
            Message mapped = message(m, "messages[" + i + "]", i, v);
            messages.add(mapped);
            changed |= mapped != m;
        }
        List<ToolDefinition> tools = new ArrayList<>(r.tools().size());
        for (int i = 0; i < r.tools().size(); i++) {
            ToolDefinition t = r.tools().get(i);
            String path = "tools[" + i + "].function";
            String name = text(Kind.TOOL, path + ".name", -1, null, t.name(), v);
            String description = text(Kind.TOOL, path + ".description", -1, null, t.description(), v);
            JsonNode parameters = t.parameters() == null ? null : json(t.parameters(), path + ".parameters", Kind.TOOL, -1, null, v);
            boolean same = name == t.name() && description == t.description() && parameters == t.parameters();
            tools.add(same ? t : new ToolDefinition(name, description, (ObjectNode) parameters, t.strict()));
            changed |= !same;
        }
        ResponseFormat format = r.responseFormat();
        if (format instanceof ResponseFormat.JsonSchema s) {
            String name = text(Kind.RESPONSE_FORMAT, "response_format.json_schema.name", -1, null, s.name(), v);
            String description = text(Kind.RESPONSE_FORMAT, "response_format.json_schema.description", -1, null, s.description(), v);
            JsonNode schema = s.schema() == null ? null : json(s.schema(), "response_format.json_schema.schema", Kind.RESPONSE_FORMAT, -1, null, v);
            if (name != s.name() || description != s.description() || schema != s.schema()) {
                format = new ResponseFormat.JsonSchema(name, description, (ObjectNode) schema, s.strict());
                changed = true;
            }
        }
        ToolChoice choice = r.toolChoice();
        if (choice instanceof ToolChoice.Function f) {
            String name = text(Kind.TOOL_CHOICE, "tool_choice.function.name", -1, null, f.name(), v);
            if (name != f.name()) {
                choice = new ToolChoice.Function(name);
                changed = true;
            }
        }
        List<String> stop = new ArrayList<>(r.stop().size());
        for (int i = 0; i < r.stop().size(); i++) {
            String s = r.stop().get(i);
            String mapped = text(Kind.STOP, "stop[" + i + "]", -1, null, s, v);
            stop.add(mapped);
            changed |= mapped != s;
        }
        String user = text(Kind.USER, "user", -1, null, r.user(), v);
        changed |= user != r.user();
        Map<String, JsonNode> extensions = extensions(r.extensions(), "", Kind.EXTRA, -1, null, v);
        changed |= extensions != r.extensions();
        if (!changed) {
            return r;
        }
        return new ChatRequest(r.model(), messages, r.stream(), r.includeUsage(), tools, choice, r.parallelToolCalls(),
                format, r.maxTokens(), r.temperature(), r.topP(), stop, user, extensions);
    }

    /** @return the answer with each field replaced by what the visitor returned; the same answer when nothing changed */
    public static ChatResult map(ChatResult r, Visitor v) {
        boolean changed = false;
        List<ChatResult.Choice> choices = new ArrayList<>(r.choices().size());
        for (int i = 0; i < r.choices().size(); i++) {
            ChatResult.Choice c = r.choices().get(i);
            Message m = message(c.message(), "choices[" + i + "].message", c.index(), v);
            choices.add(m == c.message() ? c : new ChatResult.Choice(c.index(), m, c.finishReason(), c.extensions()));
            changed |= m != c.message();
        }
        return changed ? new ChatResult(r.id(), r.created(), r.model(), choices, r.usage(), r.extensions()) : r;
    }

    private static Message message(Message m, String path, int index, Visitor v) {
        Role role = m.role();
        boolean changed = false;
        List<ContentPart> parts = new ArrayList<>(m.content().size());
        for (int j = 0; j < m.content().size(); j++) {
            ContentPart part = m.content().get(j);
            String at = m.textOnly() ? path + ".content" : path + ".content[" + j + "]";
            ContentPart mapped = switch (part) {
                case ContentPart.Text t -> {
                    String text = text(Kind.CONTENT, m.textOnly() ? at : at + ".text", index, role, t.text(), v);
                    yield text == t.text() ? t : new ContentPart.Text(text);
                }
                case ContentPart.Image image -> {
                    String url = text(Kind.IMAGE_URL, at + ".image_url.url", index, role, image.url(), v);
                    yield url == image.url() ? image : new ContentPart.Image(url, image.detail());
                }
                case ContentPart.Other other -> {
                    JsonNode raw = json(other.raw(), at, Kind.PART, index, role, v);
                    yield raw == other.raw() ? other : new ContentPart.Other(other.type(), (ObjectNode) raw);
                }
            };
            parts.add(mapped);
            changed |= mapped != part;
        }
        String name = text(Kind.NAME, path + ".name", index, role, m.name(), v);
        List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
        for (int j = 0; j < m.toolCalls().size(); j++) {
            ToolCall call = m.toolCalls().get(j);
            String at = path + ".tool_calls[" + j + "]";
            String id = text(Kind.TOOL_CALL, at + ".id", index, role, call.id(), v);
            String function = text(Kind.TOOL_CALL, at + ".function.name", index, role, call.name(), v);
            String arguments = text(Kind.TOOL_CALL, at + ".function.arguments", index, role, call.arguments(), v);
            boolean same = id == call.id() && function == call.name() && arguments == call.arguments();
            calls.add(same ? call : new ToolCall(id, function, arguments));
            changed |= !same;
        }
        String callId = text(Kind.TOOL_CALL, path + ".tool_call_id", index, role, m.toolCallId(), v);
        Map<String, JsonNode> extensions = extensions(m.extensions(), path + ".", Kind.MESSAGE_EXTRA, index, role, v);
        changed |= name != m.name() || callId != m.toolCallId() || extensions != m.extensions();
        return changed ? new Message(role, parts, m.textOnly(), name, calls, callId, extensions) : m;
    }

    private static String text(Kind kind, String path, int message, Role role, String text, Visitor v) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return v.visit(new Field(kind, path, message, role, text));
    }

    private static Map<String, JsonNode> extensions(Map<String, JsonNode> fields, String prefix, Kind kind, int message,
                                                    Role role, Visitor v) {
        if (fields.isEmpty()) {
            return fields;
        }
        Map<String, JsonNode> out = null;
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            String path = prefix + e.getKey();
            String key = text(kind, path, message, role, e.getKey(), v);
            JsonNode value = json(e.getValue(), path, kind, message, role, v);
            if (key != e.getKey() || value != e.getValue()) {
                if (out == null) {
                    out = new HashMap<>(fields);
                }
                out.remove(e.getKey());
                out.put(key, value);
            }
        }
        return out == null ? fields : out;
    }

    private static JsonNode json(JsonNode node, String path, Kind kind, int message, Role role, Visitor v) {
        if (node.isTextual() || node.isNumber()) {
            String text = node.asText();
            String mapped = text(kind, path, message, role, text, v);
            return mapped == text ? node : TextNode.valueOf(mapped);
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = null;
            for (int k = 0; k < array.size(); k++) {
                JsonNode item = array.get(k);
                JsonNode mapped = json(item, path + "[" + k + "]", kind, message, role, v);
                if (mapped != item) {
                    if (out == null) {
                        out = array.deepCopy();
                    }
                    out.set(k, mapped);
                }
            }
            return out == null ? node : out;
        }
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            boolean changed = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = path + "." + e.getKey();
                String key = SCHEMA_KEYWORDS.contains(e.getKey()) ? e.getKey() : text(kind, at, message, role, e.getKey(), v);
                JsonNode value = json(e.getValue(), at, kind, message, role, v);
                changed |= key != e.getKey() || value != e.getValue();
                fields.put(key, value);
            }
            if (!changed) {
                return node;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        return node;
    }
}
