package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;

/**
 * Finds one or more categories of sensitive content in text. Implementations are stateless and
 * thread-safe; they must not keep or log the text.
 */
public interface Detector {

    /** @return a short stable name, as decisions and metrics show it */
    String name();

    /** @return what this detector can find */
    Set<Category> categories();

    /** Adds what it finds in {@code text} to {@code out}. */
    void detect(String text, List<Finding> out);
}
