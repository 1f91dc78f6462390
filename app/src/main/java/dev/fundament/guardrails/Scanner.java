package dev.fundament.guardrails;

import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import java.util.ArrayList;
import java.util.List;

/** Runs detectors over a text; a detector that fails makes the whole check fail (fail closed). */
final class Scanner {

    private Scanner() {
    }

    /**
     * @throws GuardrailFailure when a detector fails
     */
    static List<Finding> scan(String text, List<Detector> detectors) {
        List<Finding> all = new ArrayList<>();
        for (Detector d : detectors) {
            try {
                d.detect(text, all);
            } catch (RuntimeException e) {
                throw new GuardrailFailure(d.name(), e);
            }
        }
        return Findings.resolve(all);
    }

    /** A detector threw: the guardrail could not run. */
    static final class GuardrailFailure extends RuntimeException {
        final String detector;

        GuardrailFailure(String detector, Throwable cause) {
            super("detector " + detector + " failed", cause);
            this.detector = detector;
        }
    }
}
