package dev.fundament.inference;

/** Why generation stopped, in OpenAI's vocabulary, which every provider maps to. */
public enum FinishReason {
    STOP("stop"), LENGTH("length"), TOOL_CALLS("tool_calls"), CONTENT_FILTER("content_filter"),
    FUNCTION_CALL("function_call");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the reason for a wire name, or {@code null} for null or unknown names */
    public static FinishReason fromWire(String name) {
        if (name == null) {
            return null;
        }
        for (FinishReason reason : values()) {
            if (reason.wire.equals(name)) {
                return reason;
            }
        }
        return null;
    }
}
