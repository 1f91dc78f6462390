package dev.fundament.simulator;

import java.util.SplittableRandom;

/**
 * How many tokens a simulated answer has: drawn uniformly from {@code min..max}, both inclusive, so a
 * fixed length is {@code min == max}. Every answer has at least one token; a request's
 * {@code max_tokens} can cut it shorter.
 *
 * @param min fewest tokens, at least 1
 * @param max most tokens, at least {@code min}
 */
public record OutputLength(int min, int max) {

    static final String FORMS = "N, fixed:N or uniform:A-B with 1 <= A <= B";

    public OutputLength {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("An output length needs 1 <= min <= max, got min " + min + ", max " + max
                    + " (expected " + FORMS + ").");
        }
    }

    /** @return the length that is always {@code tokens} */
    public static OutputLength fixed(int tokens) {
        return new OutputLength(tokens, tokens);
    }

    /**
     * Reads {@code "N"}, {@code "fixed:N"} or {@code "uniform:A-B"}.
     *
     * @throws IllegalArgumentException naming the expected forms
     */
    public static OutputLength parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("fixed:")) {
                return fixed(Integer.parseInt(t.substring("fixed:".length())));
            }
            if (t.startsWith("uniform:")) {
                String range = t.substring("uniform:".length());
                int dash = range.indexOf('-');
                if (dash > 0) {
                    return new OutputLength(Integer.parseInt(range.substring(0, dash)),
                            Integer.parseInt(range.substring(dash + 1)));
                }
            } else {
                return fixed(Integer.parseInt(t));
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException or an out-of-range bound: fall through to one message for all forms
        }
        throw new IllegalArgumentException("Expected an output length as " + FORMS + ", got '" + text + "'.");
    }

    int draw(SplittableRandom random) {
        return min == max ? min : random.nextInt(min, max + 1);
    }

    @Override
    public String toString() {
        return min == max ? "fixed:" + min : "uniform:" + min + "-" + max;
    }
}
