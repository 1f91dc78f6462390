package dev.fundament.inference;

/**
 * Token usage of one call.
 *
 * @param cachedTokens    prompt tokens served from the upstream's prompt cache (part of inputTokens)
 * @param reasoningTokens completion tokens spent on hidden reasoning (part of outputTokens)
 * @param estimated       true when the upstream reported nothing and Fundament counted itself
 */
public record Usage(int inputTokens, int outputTokens, int cachedTokens, int reasoningTokens, boolean estimated) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, false);

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
