package dev.fundament.routing;

import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One request copied to a shadow candidate: what the caller's own call and the candidate answered.
 *
 * @param similarity how alike the two answers' words are (Jaccard index of their word sets, 0..1);
 *                   null when either call failed
 */
public record ShadowResult(String requestId, String model, Instant at, Outcome primary, Outcome shadow, Double similarity) {

    /** Answers are kept up to this many characters. */
    public static final int MAX_ANSWER = 4_000;

    /**
     * One side's result.
     *
     * @param status {@code ok}, or the error type that ended the call
     * @param answer the answer text, cut to {@value #MAX_ANSWER} characters; null on failure
     */
    public record Outcome(String target, String version, String status, long latencyMs, long completionTokens, String answer) {

        public Outcome {
            if (answer != null && answer.length() > MAX_ANSWER) {
                answer = answer.substring(0, MAX_ANSWER);
            }
        }

        public boolean ok() {
            return "ok".equals(status);
        }
    }

    /** @return both sides, with their similarity when both answered */
    public static ShadowResult of(String requestId, String model, Instant at, Outcome primary, Outcome shadow) {
        Double similarity = primary.ok() && shadow.ok() ? similarity(primary.answer(), shadow.answer()) : null;
        return new ShadowResult(requestId, model, at, primary, shadow, similarity);
    }

    /** The Jaccard index of two texts' sets of lower-cased words: 1 for the same words, 0 for none shared. */
    static double similarity(String a, String b) {
        Set<String> x = words(a);
        Set<String> y = words(b);
        if (x.isEmpty() && y.isEmpty()) {
            return 1;
        }
        Set<String> common = new HashSet<>(x);
        common.retainAll(y);
        return (double) common.size() / (x.size() + y.size() - common.size());
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        if (text == null) {
            return out;
        }
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
