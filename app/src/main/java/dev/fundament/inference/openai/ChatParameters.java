package dev.fundament.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ranges of a chat request's sampling and output parameters, as OpenAI documents them, checked
 * whether Fundament models a parameter or only forwards it. {@code n} and {@code best_of} multiply
 * what a request can generate, so the budget and token reservations trust them only after this check.
 * Every number must be finite; {@code 1e308} for a temperature is out of range like {@code 3}.
 */
final class ChatParameters {

    /** The most choices one request may ask for ({@code n}, and {@code best_of} where an upstream takes it). */
    static final int MAX_CHOICES = 128;
    /** The largest completion allowance accepted; far above any model's output limit. */
    static final int MAX_COMPLETION_TOKENS = 1_000_000;
    static final int MAX_STOP = 4;
    static final int MAX_TOP_LOGPROBS = 20;
    static final int MAX_LOGIT_BIAS = 1024;

    private ChatParameters() {
    }

    /** @throws GatewayException 400 naming the first parameter outside its range */
    static void check(ObjectNode root) {
        integer(root, "n", 1, MAX_CHOICES);
        integer(root, "best_of", 1, MAX_CHOICES);
        number(root, "temperature", 0, 2);
        number(root, "top_p", 0, 1);
        number(root, "presence_penalty", -2, 2);
        number(root, "frequency_penalty", -2, 2);
        integer(root, "top_logprobs", 0, MAX_TOP_LOGPROBS);
        JsonNode logprobs = root.get("logprobs");
        if (logprobs != null && !logprobs.isNull() && !logprobs.isBoolean()) {
            integer(root, "logprobs", 0, MAX_TOP_LOGPROBS);
        }
        JsonNode seed = root.get("seed");
        if (seed != null && !seed.isNull() && (!seed.isIntegralNumber() || !seed.canConvertToLong())) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'seed' must be a whole number from " + Long.MIN_VALUE
                    + " to " + Long.MAX_VALUE + ", got " + brief(seed) + ".", "seed");
        }
        JsonNode stop = root.get("stop");
        if (stop != null && stop.isArray() && stop.size() > MAX_STOP) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'stop' has " + stop.size() + " sequences; at most "
                    + MAX_STOP + " are allowed.", "stop");
        }
        logitBias(root.get("logit_bias"));
        metadata(root.get("metadata"));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isFloatingPointNumber() && !Double.isFinite(field.getValue().doubleValue())) {
                throw outOfRange(field.getKey(), "a finite number", field.getValue());
            }
        }
    }

    /** {@code max_tokens} or {@code max_completion_tokens}: a whole number from 1 to {@value #MAX_COMPLETION_TOKENS}. */
    static Integer maxTokens(JsonNode root, String field) {
        return integer(root, field, 1, MAX_COMPLETION_TOKENS);
    }

    private static Integer integer(JsonNode root, String field, long min, long max) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for '" + field + "': expected an integer, but got "
                    + (value.isNumber() ? "a number with a fraction" : "a " + value.getNodeType().name().toLowerCase()) + ".", field);
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            if (min == 1 && value.canConvertToLong() && value.longValue() < 1) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + field + "' must be at least 1, got "
                        + value.longValue() + ".", field);
            }
            throw outOfRange(field, "a whole number from " + min + " to " + max, value);
        }
        return value.intValue();
    }

    private static void number(JsonNode root, String field, double min, double max) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for '" + field + "': expected a number.", field);
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw outOfRange(field, "a number from " + format(min) + " to " + format(max), value);
        }
    }

    private static void logitBias(JsonNode bias) {
        if (bias == null || bias.isNull()) {
            return;
        }
        if (!bias.isObject()) {
            throw new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for 'logit_bias': expected an object of token id"
                    + " to bias, such as {\"50256\": -100}.", "logit_bias");
        }
        if (bias.size() > MAX_LOGIT_BIAS) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'logit_bias' has " + bias.size() + " entries; at most "
                    + MAX_LOGIT_BIAS + " are allowed.", "logit_bias");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = bias.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "logit_bias." + Bounds.shortened(e.getKey());
            if (e.getKey().isEmpty() || e.getKey().length() > 10 || !e.getKey().chars().allMatch(Character::isDigit)) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'logit_bias' keys are token ids (whole numbers), got '"
                        + Bounds.shortened(e.getKey()) + "'.", "logit_bias");
            }
            JsonNode v = e.getValue();
            if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < -100 || v.doubleValue() > 100) {
                throw outOfRange(path, "a number from -100 to 100", v);
            }
        }
    }

    /** OpenAI's request metadata: up to 16 pairs of strings, keys up to 64 and values up to 512 characters. */
    private static void metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return;
        }
        if (!metadata.isObject()) {
            throw new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for 'metadata': expected an object of strings,"
                    + " such as {\"app\": \"crm\"}.", "metadata");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                String path = "metadata." + Bounds.shortened(e.getKey());
                throw new GatewayException(ErrorKind.INVALID_TYPE, "Invalid type for '" + path + "': expected a string.", path);
            }
            pairs.put(e.getKey(), e.getValue().asText());
        }
        Bounds.check(pairs, Bounds.REQUEST_METADATA_ENTRIES, Bounds.REQUEST_METADATA_KEY, Bounds.REQUEST_METADATA_VALUE,
                "metadata");
    }

    private static GatewayException outOfRange(String field, String expected, JsonNode value) {
        return new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid value for '" + field + "': expected " + expected
                + ", got " + brief(value) + ".", field);
    }

    private static String brief(JsonNode value) {
        return Bounds.shortened(value.isTextual() ? "'" + value.asText() + "'" : value.toString());
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
