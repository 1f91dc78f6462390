package dev.fundament.routing;

import dev.fundament.identity.Principal;
import java.util.Set;
import java.util.function.Function;

/**
 * What routing conditions look at in a request: who sends it, its headers, and its data classification.
 *
 * @param user           who the sticky cohorts are drawn for: the request's {@code user} field when the
 *                       caller sent one (an application's end user), else the principal's subject
 * @param header         request header by name (case-insensitive), {@code null} when absent
 * @param classification the request's data classification labels: declared and found by the guardrails
 */
public record Caller(Principal principal, String user, Function<String, String> header, Set<String> classification) {

    /** The header a caller declares its data classification in, such as {@code confidential}. */
    public static final String CLASSIFICATION_HEADER = "X-Fundament-Classification";

    public Caller {
        classification = Set.copyOf(classification);
        user = user != null && !user.isBlank() ? user : principal.subject();
    }

    /** @return a caller known by its principal alone (no headers, nothing classified) */
    public static Caller of(Principal principal) {
        return new Caller(principal, null, name -> null, Set.of());
    }

    /**
     * @return the classification a caller declares: the {@value #CLASSIFICATION_HEADER} header, else its
     *         key's metadata {@code classification}; empty when neither is given
     */
    public static Set<String> declared(Principal principal, Function<String, String> header) {
        String label = header.apply(CLASSIFICATION_HEADER);
        if (label == null || label.isBlank()) {
            label = principal.metadata().get("classification");
        }
        return label == null || label.isBlank() ? Set.of() : Set.of(label.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** @return this caller with more classification labels (those the guardrails found) */
    public Caller classified(Set<String> found) {
        if (found.isEmpty() || classification.containsAll(found)) {
            return this;
        }
        java.util.Set<String> all = new java.util.HashSet<>(classification);
        all.addAll(found);
        return new Caller(principal, user, header, all);
    }
}
