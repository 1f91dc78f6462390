package dev.fundament.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Hostile variants of a valid JSON body: a few mutations, each at a place in the tree chosen by the
 * source, replacing a value with one of another type, an extreme number, an over-long or
 * control-character-laden string, a deep nest; removing a field; adding an unknown one. The same
 * mutations serve the coverage-guided fuzz tests (the source is Jazzer's data, so coverage steers
 * the choices) and the HTTP fuzz test (the source is a seeded {@link Random}, so a failing case is
 * reproduced from its seed).
 */
public final class HostileJson {

    /** Where the choices come from. */
    public interface Source {
        int pick(int bound);

        String text(int maxLength);

        double number();

        static Source of(FuzzedDataProvider data) {
            return new Source() {
                public int pick(int bound) {
                    return data.consumeInt(0, bound - 1);
                }

                public String text(int maxLength) {
                    return data.consumeString(maxLength);
                }

                public double number() {
                    return data.consumeDouble();
                }
            };
        }

        static Source of(Random random) {
            return new Source() {
                public int pick(int bound) {
                    return random.nextInt(bound);
                }

                public String text(int maxLength) {
                    int length = random.nextInt(maxLength + 1);
                    StringBuilder b = new StringBuilder(length);
                    for (int i = 0; i < length; i++) {
                        b.append(switch (random.nextInt(8)) {
                            case 0 -> (char) random.nextInt(0x20); // control characters, NUL included
                            case 1 -> (char) (0xD800 + random.nextInt(0x800)); // lone surrogates
                            case 2 -> (char) (0x200B + random.nextInt(5)); // zero-width
                            case 3 -> (char) random.nextInt(0x10000);
                            default -> (char) (' ' + random.nextInt(95));
                        });
                    }
                    return b.toString();
                }

                public double number() {
                    return switch (random.nextInt(4)) {
                        case 0 -> random.nextGaussian() * 1e6;
                        case 1 -> Double.longBitsToDouble(random.nextLong());
                        default -> random.nextInt(201) - 100;
                    };
                }
            };
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WORDS = {"model", "messages", "role", "content", "user", "name", "tools", "n", "stream",
            "max_tokens", "metadata", "input", "tool_calls", "type", "function", "arguments", "stop", "temperature",
            "response_format", "json_schema", "image_url", "url", "query", "filters", "documents", "id", "text", "readers"};

    private HostileJson() {
    }

    /** @return a copy of {@code valid} with 1 to {@code maxMutations} hostile changes */
    public static JsonNode mutate(JsonNode valid, Source source, int maxMutations) {
        JsonNode root = valid.deepCopy();
        int n = 1 + source.pick(maxMutations);
        for (int i = 0; i < n; i++) {
            root = mutateOnce(root, source);
        }
        return root;
    }

    private static JsonNode mutateOnce(JsonNode root, Source source) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return value(source, 0);
        }
        JsonNode container = containers.get(source.pick(containers.size()));
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int action = source.pick(4);
            if (names.isEmpty() || action == 0) {
                object.set(source.pick(2) == 0 ? WORDS[source.pick(WORDS.length)] : source.text(12), value(source, 0));
            } else if (action == 1) {
                object.remove(names.get(source.pick(names.size())));
            } else {
                object.set(names.get(source.pick(names.size())), value(source, 0));
            }
        } else if (container instanceof ArrayNode array) {
            int action = source.pick(3);
            if (array.isEmpty() || action == 0) {
                array.add(value(source, 0));
            } else if (action == 1) {
                array.remove(source.pick(array.size()));
            } else {
                array.set(source.pick(array.size()), value(source, 0));
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), into);
            }
        }
    }

    /** A hostile value: every JSON type, extremes of each. */
    public static JsonNode value(Source source, int depth) {
        return switch (source.pick(depth > 3 ? 12 : 15)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(source.pick(2) == 0);
            case 2 -> NODES.numberNode(source.number());
            case 3 -> NODES.numberNode(new BigInteger("9".repeat(1 + source.pick(60))).negate().add(BigInteger.valueOf(source.pick(3))));
            case 4 -> NODES.numberNode(new BigDecimal("1e" + (source.pick(700) - 350)));
            case 5 -> NODES.numberNode(source.pick(3) - 1);
            case 6 -> NODES.textNode("");
            case 7 -> NODES.textNode(" \t\n".repeat(1 + source.pick(3)));
            case 8 -> NODES.textNode("x".repeat(source.pick(3) == 0 ? 70_000 : 201 + source.pick(400)));
            case 9 -> NODES.textNode(WORDS[source.pick(WORDS.length)]);
            case 10, 11 -> NODES.textNode(source.text(64));
            case 12 -> {
                ArrayNode a = NODES.arrayNode();
                int n = source.pick(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(source, depth + 1));
                }
                yield a;
            }
            case 13 -> {
                ObjectNode o = NODES.objectNode();
                int n = source.pick(4);
                for (int i = 0; i < n; i++) {
                    o.set(WORDS[source.pick(WORDS.length)], value(source, depth + 1));
                }
                yield o;
            }
            default -> deep(source.pick(2) == 0, 50 + source.pick(2000));
        };
    }

    /** Arrays or objects nested {@code levels} deep. */
    private static JsonNode deep(boolean arrays, int levels) {
        JsonNode inner = NODES.textNode("bottom");
        for (int i = 0; i < levels; i++) {
            inner = arrays ? NODES.arrayNode().add(inner) : NODES.objectNode().set("content", inner);
        }
        return inner;
    }

    /** A valid body to start from, per endpoint. */
    public static ObjectNode chat(String model) {
        ObjectNode body = NODES.objectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are terse.");
        messages.addObject().put("role", "user").put("content", "Say hi.");
        body.put("max_tokens", 8);
        return body;
    }

    public static ObjectNode embeddings(String model) {
        ObjectNode body = NODES.objectNode().put("model", model);
        body.putArray("input").add("one").add("two");
        return body;
    }
}
