package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Makes a JSON value that fits a JSON schema, for tool-call arguments and {@code json_schema}
 * answers. Deterministic, so a test can predict the answer: every property of an object is filled
 * (required or not), a string is {@code "example"}, a number or integer {@code 1}, a boolean
 * {@code true}, an array {@code []}, an {@code enum} its first value, a {@code const} itself.
 *
 * <p>Understands what tool and structured-output schemas use: {@code type} as a string or a list
 * (the first non-null type wins), {@code $ref} to {@code #/...} within the same schema,
 * {@code anyOf}/{@code oneOf} (first branch), {@code allOf} (objects merged). A schema without
 * {@code type} is an object if it has {@code properties}, else a string. Recursion through
 * {@code $ref} stops at depth {@value #MAX_DEPTH} with {@code null}.
 */
final class SchemaSamples {

    private static final int MAX_DEPTH = 32;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaSamples() {
    }

    /** @return JSON text of an object fitting {@code schema}; {@code {}} when there is no object schema */
    static String objectJson(JsonNode schema) {
        JsonNode sample = schema != null && schema.isObject() ? sample(schema, schema, 0) : null;
        return sample != null && sample.isObject() ? sample.toString() : "{}";
    }

    static JsonNode sample(JsonNode schema, JsonNode root, int depth) {
        if (depth > MAX_DEPTH || schema == null || !schema.isObject()) {
            return depth > MAX_DEPTH ? NODES.nullNode() : NODES.textNode("example");
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
            return sample(root.at(ref.asText().substring(1)), root, depth + 1);
        }
        JsonNode fixed = schema.get("const");
        if (fixed != null) {
            return fixed.deepCopy();
        }
        JsonNode choices = schema.get("enum");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            return choices.get(0).deepCopy();
        }
        JsonNode branch = firstBranch(schema);
        if (branch != null) {
            return sample(branch, root, depth + 1);
        }
        JsonNode all = schema.get("allOf");
        if (all != null && all.isArray() && !all.isEmpty()) {
            return merged(all, root, depth);
        }
        return switch (type(schema)) {
            case "object" -> object(schema, root, depth);
            case "array" -> NODES.arrayNode();
            case "number", "integer" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode("example");
        };
    }

    private static ObjectNode object(JsonNode schema, JsonNode root, int depth) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            out.set(p.getKey(), sample(p.getValue(), root, depth + 1));
        }
        return out;
    }

    private static JsonNode merged(JsonNode all, JsonNode root, int depth) {
        ObjectNode out = NODES.objectNode();
        for (JsonNode part : all) {
            JsonNode s = sample(part, root, depth + 1);
            if (!s.isObject()) {
                return s;
            }
            out.setAll((ObjectNode) s);
        }
        return out;
    }

    private static JsonNode firstBranch(JsonNode schema) {
        for (String key : new String[] {"anyOf", "oneOf"}) {
            JsonNode branches = schema.get(key);
            if (branches != null && branches.isArray() && !branches.isEmpty()) {
                for (JsonNode b : branches) {
                    if (!"null".equals(b.path("type").asText())) {
                        return b;
                    }
                }
                return branches.get(0);
            }
        }
        return null;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return type.isEmpty() ? "string" : "null";
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }
}
