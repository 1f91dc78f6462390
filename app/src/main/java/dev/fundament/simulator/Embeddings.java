package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Answers {@code POST /v1/embeddings} in OpenAI's shape. A vector is a pure function of the text and
 * the length: a 64-bit FNV-1a hash of the text seeds a SplitMix64 sequence of values in [-1, 1), and
 * the vector is scaled to unit length. So equal texts embed equally across runs and simulators,
 * different texts almost never do, and a shorter vector is the normalised prefix of a longer one, as
 * with OpenAI's {@code dimensions}.
 *
 * <p>{@code encoding_format} {@code base64} is the same float32 values, little-endian, base64-encoded.
 * A token array ({@code [1, 2, 3]}) counts as one text, of as many tokens as it has integers.
 */
final class Embeddings {

    static final int MAX_DIMENSIONS = 65_536;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private record Input(String text, int tokens) {
    }

    private Embeddings() {
    }

    /** @return the embedding list JSON for a request body */
    static String answer(JsonNode body, int defaultDimensions) {
        String model = BadRequest.requiredText(body, "model");
        List<Input> inputs = inputs(body.get("input"));
        int dimensions = BadRequest.optionalInt(body, "dimensions", defaultDimensions, 1, MAX_DIMENSIONS);
        boolean base64 = base64(body.get("encoding_format"));
        StringBuilder b = new StringBuilder((int) Math.min(1 << 20, 128L + (long) inputs.size() * dimensions * 12));
        b.append("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i).text(), dimensions);
            b.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
            if (base64) {
                b.append('"').append(base64(vector)).append('"');
            } else {
                b.append('[');
                for (int d = 0; d < vector.length; d++) {
                    b.append(d == 0 ? "" : ",").append(vector[d]);
                }
                b.append(']');
            }
            b.append('}');
            tokens += inputs.get(i).tokens();
        }
        b.append("],\"model\":");
        ChatAnswer.quote(b, model).append(",\"usage\":{\"prompt_tokens\":").append(tokens)
                .append(",\"total_tokens\":").append(tokens).append("}}");
        return b.toString();
    }

    /** @return the unit vector of {@code text} with {@code dimensions} values */
    static float[] vector(String text, int dimensions) {
        long state = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            state = (state ^ text.charAt(i)) * 0x100000001b3L;
        }
        float[] v = new float[dimensions];
        double sum = 0;
        for (int d = 0; d < dimensions; d++) {
            state += GOLDEN_GAMMA;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z = z ^ (z >>> 31);
            v[d] = (z >>> 40) * 0x1.0p-23f - 1f;
            sum += (double) v[d] * v[d];
        }
        float scale = sum == 0 ? 0 : (float) (1 / Math.sqrt(sum));
        for (int d = 0; d < dimensions; d++) {
            v[d] *= scale;
        }
        return v;
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static boolean base64(JsonNode format) {
        if (format == null || format.isNull() || "float".equals(format.asText())) {
            return false;
        }
        if ("base64".equals(format.asText())) {
            return true;
        }
        throw BadRequest.invalidValue("encoding_format", "expected 'float' or 'base64', got " + format + ".");
    }

    private static List<Input> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw BadRequest.missing("input");
        }
        if (input.isTextual()) {
            return List.of(text(input.asText()));
        }
        if (!input.isArray()) {
            throw BadRequest.invalidType("input", "a string or an array", input);
        }
        if (input.isEmpty()) {
            throw BadRequest.invalidValue("input", "empty array; send at least one text.");
        }
        if (input.get(0).isNumber()) {
            return List.of(tokens(input));
        }
        List<Input> out = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (item.isTextual()) {
                out.add(text(item.asText()));
            } else if (item.isArray() && !item.isEmpty() && item.get(0).isNumber()) {
                out.add(tokens(item));
            } else {
                throw BadRequest.invalidType("input", "strings or arrays of token integers", item);
            }
        }
        return out;
    }

    private static Input text(String text) {
        return new Input(text, Lorem.countWords(text));
    }

    private static Input tokens(JsonNode ints) {
        StringBuilder text = new StringBuilder(ints.size() * 6).append("tokens:");
        for (JsonNode n : ints) {
            if (!n.isIntegralNumber()) {
                throw BadRequest.invalidType("input", "an array of token integers", n);
            }
            text.append(n.asLong()).append(' ');
        }
        return new Input(text.toString(), ints.size());
    }
}
