package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec;
import dev.fundament.guardrails.detect.Category;

/**
 * What a guardrail did about one finding: which policy, at which stage, what was found by which
 * detector, what was done, and where (message index and character span; never the value).
 *
 * @param message the message index for input, the choice index for output
 */
public record Decision(String policy, GuardrailsSpec.Stage stage, Category category, String detector,
                       GuardrailsSpec.Action action, int message, int start, int end, double score) {
}
