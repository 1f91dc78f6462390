package dev.fundament.guardrails;

import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs detectors over a text the way every guardrail reads it: on its {@link Normalised normal
 * form}, with {@link Base64Runs base64 runs} decoded and read again, and findings placed back on the
 * original characters. A finding inside a decoded run covers the whole run. A detector that fails
 * makes the whole check fail (fail closed).
 */
public final class Scanner {

    /** Decoded runs are read again for runs inside them once more, not deeper. */
    private static final int MAX_DEPTH = 2;

    private Scanner() {
    }

    /**
     * @return the findings, overlaps settled, at positions in {@code text}
     * @throws GuardrailFailure when a detector fails
     */
    public static List<Finding> scan(String text, List<Detector> detectors) {
        if (detectors.isEmpty() || text.isEmpty()) {
            return List.of();
        }
        return Findings.resolve(normalised(text, detectors, 0));
    }

    private static List<Finding> normalised(String text, List<Detector> detectors, int depth) {
        Normalised n = Normalised.of(text);
        String s = n.text();
        List<Finding> found = new ArrayList<>();
        List<Base64Runs.Run> runs = Base64Runs.find(s);
        if (runs.isEmpty()) {
            detect(s, detectors, found);
        } else {
            int at = 0;
            for (Base64Runs.Run run : runs) {
                if (run.blob()) {
                    detectPart(s, at, run.start(), detectors, found);
                    at = run.end();
                }
            }
            if (at == 0) {
                detect(s, detectors, found);
            } else {
                detectPart(s, at, s.length(), detectors, found);
            }
            if (depth < MAX_DEPTH) {
                for (Base64Runs.Run run : runs) {
                    if (run.decoded() != null) {
                        for (Finding f : normalised(run.decoded(), detectors, depth + 1)) {
                            found.add(f.category().spanned()
                                    ? new Finding(f.category(), f.detector(), run.start(), run.end(), f.score())
                                    : new Finding(f.category(), f.detector(), 0, s.length(), f.score()));
                        }
                    }
                }
            }
        }
        if (n.same()) {
            return found;
        }
        List<Finding> placed = new ArrayList<>(found.size());
        for (Finding f : found) {
            placed.add(new Finding(f.category(), f.detector(), n.rawStart(f.start()), n.rawEnd(f.end()), f.score()));
        }
        return placed;
    }

    private static void detectPart(String s, int from, int to, List<Detector> detectors, List<Finding> out) {
        if (to <= from) {
            return;
        }
        List<Finding> part = new ArrayList<>();
        detect(s.substring(from, to), detectors, part);
        for (Finding f : part) {
            out.add(new Finding(f.category(), f.detector(), f.start() + from, f.end() + from, f.score()));
        }
    }

    private static void detect(String s, List<Detector> detectors, List<Finding> out) {
        for (Detector d : detectors) {
            try {
                d.detect(s, out);
            } catch (RuntimeException e) {
                throw new GuardrailFailure(d.name(), e);
            }
        }
    }

    /** A detector threw: the guardrail could not run. */
    public static final class GuardrailFailure extends RuntimeException {
        final String detector;

        GuardrailFailure(String detector, Throwable cause) {
            super("detector " + detector + " failed", cause);
            this.detector = detector;
        }
    }
}
