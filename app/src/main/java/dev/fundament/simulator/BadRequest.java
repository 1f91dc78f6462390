package dev.fundament.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request the simulator cannot answer, reported as a 400 in OpenAI's words: the message, the
 * {@code param} at fault and OpenAI's {@code code}. The factories phrase the messages as OpenAI does,
 * so a client's error handling meets the same text it will meet in production.
 *
 * <p>Carries no stack trace: it is control flow on the request path, not a bug.
 */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String param;
    private final String code;

    BadRequest(String message, String param, String code) {
        super(message, null, false, false);
        this.param = param;
        this.code = code;
    }

    String param() {
        return param;
    }

    String code() {
        return code;
    }

    static BadRequest missing(String param) {
        return new BadRequest("Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
    }

    static BadRequest invalidType(String param, String expected, JsonNode got) {
        return new BadRequest("Invalid type for '" + param + "': expected " + expected + ", but got " + describe(got)
                + " instead.", param, "invalid_type");
    }

    static BadRequest invalidValue(String param, String problem) {
        return new BadRequest("Invalid value for '" + param + "': " + problem, param, "invalid_value");
    }

    /** @return the text at {@code body.param}, which must be present and a string */
    static String requiredText(JsonNode body, String param) {
        JsonNode n = body.get(param);
        if (n == null || n.isNull()) {
            throw missing(param);
        }
        if (!n.isTextual()) {
            throw invalidType(param, "a string", n);
        }
        return n.asText();
    }

    /** @return the integer at {@code body.param}, {@code absent} if missing, at least {@code min} */
    static int optionalInt(JsonNode body, String param, int absent, int min, int max) {
        JsonNode n = body.get(param);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalidType(param, "an integer", n);
        }
        int v = n.intValue();
        if (v < min) {
            throw new BadRequest("Invalid '" + param + "': integer below minimum value. Expected a value >= " + min
                    + ", but got " + v + " instead.", param, "integer_below_min_value");
        }
        if (v > max) {
            throw new BadRequest("Invalid '" + param + "': integer above maximum value. Expected a value <= " + max
                    + ", but got " + v + " instead.", param, "integer_above_max_value");
        }
        return v;
    }

    private static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a decimal";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "null";
        };
    }
}
