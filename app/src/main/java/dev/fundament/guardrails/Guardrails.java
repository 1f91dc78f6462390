package dev.fundament.guardrails;

import dev.fundament.config.Configuration;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.GuardrailsSpec.Action;
import dev.fundament.config.GuardrailsSpec.Stage;
import dev.fundament.config.ProviderSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.identity.Principal;
import dev.fundament.inference.ChatRequest;
import dev.fundament.routing.Route;
import dev.fundament.routing.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The guardrail policies of {@code fundament.yaml}, compiled: which detectors run for which request,
 * and what happens to what they find. {@link #input} checks and rewrites a request before any model
 * sees it and narrows its route for data-residency rules; the returned {@link Guarded} checks the
 * answer, whole or streamed, and restores pseudonymised values.
 */
@ApplicationScoped
public class Guardrails {

    /** A compiled policy. */
    record Policy(String name, Stage on, Set<Category> categories, Set<String> canaries, Action action, Set<String> models,
                  Set<String> teams, Set<String> keys, double threshold, List<Detector> detectors) {

        boolean appliesTo(Principal principal, String model) {
            return (models.isEmpty() || models.contains(model))
                    && (teams.isEmpty() || principal.team() != null && teams.contains(principal.team()))
                    && (keys.isEmpty() || principal.keyPrefix() != null && keys.contains(principal.keyPrefix()));
        }

        boolean matches(Finding f) {
            if (f.score() < threshold) {
                return false;
            }
            if (f.category() == Category.CANARY) {
                return categories.contains(Category.CANARY) || canaries.contains(f.detector());
            }
            return categories.contains(f.category());
        }
    }

    /** A compiled residency rule. */
    record Residency(String name, Set<Category> categories, Set<String> canaries, Set<String> teams, Set<String> labels,
                     Set<String> models, List<Detector> detectors) {
    }

    private final Detectors detectors;
    private final List<Policy> policies;
    private final List<Residency> residency;
    private final Map<String, Set<String>> providerLabels;
    private final int holdBack;

    @Inject
    public Guardrails(Configuration configuration) {
        this(configuration.spec().guardrails(), labels(configuration.spec().providers()));
    }

    public Guardrails(GuardrailsSpec spec, Map<String, Set<String>> providerLabels) {
        this.detectors = new Detectors(spec);
        this.providerLabels = providerLabels;
        this.holdBack = spec.holdBack();
        List<Policy> compiled = new ArrayList<>();
        for (GuardrailsSpec.PolicySpec p : spec.policies()) {
            Set<Category> categories = categories(p.detect());
            Set<String> canaries = canaries(p.detect());
            compiled.add(new Policy(p.name(), p.on(), categories, canaries, p.action(), Set.copyOf(p.models()),
                    Set.copyOf(p.teams()), Set.copyOf(p.keys()), p.threshold(), detectors.forCategories(categories, canaries)));
        }
        this.policies = List.copyOf(compiled);
        List<Residency> rules = new ArrayList<>();
        for (GuardrailsSpec.ResidencySpec r : spec.residency()) {
            Set<Category> categories = categories(r.detect());
            Set<String> canaries = canaries(r.detect());
            rules.add(new Residency(r.name(), categories, canaries, Set.copyOf(r.teams()), Set.copyOf(r.requireLabels()),
                    Set.copyOf(r.models()), detectors.forCategories(categories, canaries)));
        }
        this.residency = List.copyOf(rules);
    }

    private static Map<String, Set<String>> labels(Map<String, ProviderSpec> providers) {
        Map<String, Set<String>> labels = new HashMap<>();
        providers.forEach((name, p) -> labels.put(name, Set.copyOf(p.labels())));
        labels.merge("local", Set.of("on-prem"), (a, b) -> {
            Set<String> both = new LinkedHashSet<>(a);
            both.addAll(b);
            return Set.copyOf(both);
        });
        return Map.copyOf(labels);
    }

    static Set<Category> categories(List<String> detect) {
        Set<Category> out = EnumSet.noneOf(Category.class);
        for (String d : detect) {
            if (d.equals("personal_data")) {
                for (Category c : Category.values()) {
                    if (c.personal()) {
                        out.add(c);
                    }
                }
            } else if (!d.startsWith("canary:")) {
                for (Category c : Category.values()) {
                    if (c.wire().equals(d)) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    static Set<String> canaries(List<String> detect) {
        Set<String> out = new LinkedHashSet<>();
        for (String d : detect) {
            if (d.startsWith("canary:")) {
                out.add(d.substring(7));
            }
        }
        return out;
    }

    /**
     * Checks and rewrites a request. Every decision goes to {@code decisions} before anything is
     * thrown, so a blocked request is recorded too.
     *
     * @throws GatewayException {@code content_blocked} when a block policy matched,
     *                          {@code data_residency} when no target of the route may take the request,
     *                          {@code guardrail_unavailable} when a detector failed (fail closed)
     */
    public Guarded input(Principal principal, Route route, ChatRequest request, Consumer<Decision> decisions) {
        List<Policy> in = new ArrayList<>();
        List<Policy> out = new ArrayList<>();
        for (Policy p : policies) {
            if (p.appliesTo(principal, route.name())) {
                if (p.on().input()) {
                    in.add(p);
                }
                if (p.on().output() && p.action() != Action.PSEUDONYMIZE) {
                    out.add(p);
                }
            }
        }
        List<Residency> rules = residency.stream().filter(r -> r.models().isEmpty() || r.models().contains(route.name())).toList();
        Pseudonyms pseudonyms = new Pseudonyms();
        ChatRequest checked = request;
        Set<Category> found = EnumSet.noneOf(Category.class);
        Set<String> foundCanaries = new LinkedHashSet<>();
        if (!in.isEmpty() || rules.stream().anyMatch(r -> !r.detectors().isEmpty())) {
            try {
                checked = InputCheck.run(request, in, rules, pseudonyms, decisions, found, foundCanaries, detectors);
            } catch (Scanner.GuardrailFailure e) {
                throw unavailable(e);
            }
        }
        Route narrowed = route;
        for (Residency r : rules) {
            boolean team = principal.team() != null && r.teams().contains(principal.team());
            boolean data = found.stream().anyMatch(r.categories()::contains) || foundCanaries.stream().anyMatch(r.canaries()::contains);
            if (team || data) {
                narrowed = narrow(narrowed, r, team, data, found);
            }
        }
        return new Guarded(checked, narrowed, pseudonyms, out, holdBack, decisions, classification(found, foundCanaries));
    }

    /**
     * Personal data in a text outside any request: what company data goes through before it is
     * indexed (a collection's {@code pii} policy).
     *
     * @param text     the text with each finding replaced by its placeholder ({@code [EMAIL]})
     * @param found    how many findings per category
     */
    public record Redaction(String text, Map<String, Integer> found) {
    }

    /**
     * Finds the given categories in a text and returns it redacted, with counts.
     *
     * @param detect    as in a policy: categories, {@code personal_data}, {@code canary:<name>}
     * @param threshold findings below this confidence are ignored
     */
    public Redaction redact(String text, List<String> detect, double threshold) {
        List<dev.fundament.guardrails.detect.Detector> chosen = detectors.forCategories(categories(detect), canaries(detect));
        List<Finding> findings;
        try {
            findings = Findings.resolve(Scanner.scan(text, chosen));
        } catch (Scanner.GuardrailFailure e) {
            throw unavailable(e);
        }
        InputCheck.Replacements replacements = new InputCheck.Replacements(text);
        Map<String, Integer> found = new java.util.TreeMap<>();
        for (Finding f : findings) {
            if (f.score() >= threshold) {
                found.merge(f.category().wire(), 1, Integer::sum);
                replacements.claim(f, "[" + f.category().placeholder() + "]");
            }
        }
        return new Redaction(replacements.any() ? replacements.apply() : text, found);
    }

    /** The data classification found: each category's name, {@code personal_data} for any personal one, {@code canary:} names. */
    static Set<String> classification(Set<Category> found, Set<String> canaries) {
        if (found.isEmpty() && canaries.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (Category c : found) {
            out.add(c.wire());
            if (c.personal()) {
                out.add("personal_data");
            }
        }
        canaries.forEach(c -> out.add("canary:" + c));
        return Set.copyOf(out);
    }

    private Route narrow(Route route, Residency rule, boolean team, boolean data, Set<Category> found) {
        List<Target> allowed = route.targets().stream()
                .filter(t -> providerLabels.getOrDefault(t.provider().name(), Set.of()).containsAll(rule.labels())).toList();
        if (allowed.isEmpty()) {
            String why = data ? "contains " + String.join(", ", found.stream().filter(rule.categories()::contains)
                    .map(Category::wire).toList()) : "comes from a team the rule covers";
            throw new GatewayException(ErrorKind.DATA_RESIDENCY, "This request " + why + ", which residency rule '"
                    + rule.name() + "' allows only to targets labelled " + rule.labels() + "; model '" + route.name()
                    + "' has none (" + String.join(", ", route.targets().stream().map(Target::label).toList())
                    + "). Use a model with such a target, or remove the personal data.");
        }
        return route.withTargets(allowed);
    }

    static GatewayException unavailable(Scanner.GuardrailFailure e) {
        return new GatewayException(ErrorKind.GUARDRAIL_UNAVAILABLE, "A guardrail could not check this request (detector "
                + e.detector + "), so it was not passed on. Retry; if it persists, the operator must look at the log.");
    }

    static GatewayException blocked(Policy policy, Stage stage, Set<Category> categories) {
        return new GatewayException(ErrorKind.CONTENT_BLOCKED, "Blocked by guardrail '" + policy.name() + "': the "
                + (stage == Stage.INPUT ? "request" : "answer") + " contains " + String.join(", ",
                categories.stream().map(Category::wire).toList()) + ".");
    }
}
