package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec.Action;
import dev.fundament.config.GuardrailsSpec.Stage;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The input stage over one request: every text part of every message is scanned once with the
 * detectors the applicable policies and residency rules need; policies act in their configured
 * order (the first to claim a span decides how it is replaced); blocks are thrown only after every
 * decision was recorded. Prompt-injection is judged on user and tool messages only: system prompts
 * are the application's own.
 */
final class InputCheck {

    private InputCheck() {
    }

    static ChatRequest run(ChatRequest request, List<Guardrails.Policy> policies, List<Guardrails.Residency> rules,
                           Pseudonyms pseudonyms, Consumer<Decision> decisions, Set<Category> found,
                           Set<String> foundCanaries, Detectors registry) {
        Set<Detector> needed = new LinkedHashSet<>();
        policies.forEach(p -> needed.addAll(p.detectors()));
        rules.forEach(r -> needed.addAll(r.detectors()));
        List<Detector> all = List.copyOf(needed);
        List<Detector> withoutInjection = all.stream().filter(d -> !d.categories().contains(Category.PROMPT_INJECTION)).toList();

        Guardrails.Policy blockedBy = null;
        Set<Category> blockedFor = EnumSet.noneOf(Category.class);
        List<Message> messages = new ArrayList<>(request.messages().size());
        boolean changed = false;
        for (int i = 0; i < request.messages().size(); i++) {
            Message m = request.messages().get(i);
            boolean judged = m.role() == Role.USER || m.role() == Role.TOOL;
            List<ContentPart> parts = new ArrayList<>(m.content().size());
            boolean partChanged = false;
            for (ContentPart part : m.content()) {
                if (!(part instanceof ContentPart.Text t) || t.text().isEmpty()) {
                    parts.add(part);
                    continue;
                }
                List<Finding> findings = registry.scan(t.text(), judged ? all : withoutInjection);
                for (Finding f : findings) {
                    if (f.score() >= 0.5) {
                        found.add(f.category());
                        if (f.category() == Category.CANARY) {
                            foundCanaries.add(f.detector());
                        }
                    }
                }
                Replacements replacements = new Replacements(t.text());
                for (Guardrails.Policy p : policies) {
                    for (Finding f : findings) {
                        if (!p.matches(f)) {
                            continue;
                        }
                        decisions.accept(new Decision(p.name(), Stage.INPUT, f.category(), f.detector(), p.action(), i,
                                f.start(), f.end(), f.score()));
                        switch (p.action()) {
                            case BLOCK -> {
                                if (blockedBy == null || blockedBy == p) {
                                    blockedBy = p;
                                    blockedFor.add(f.category());
                                }
                            }
                            case REDACT -> replacements.claim(f, "[" + f.category().placeholder() + "]");
                            case PSEUDONYMIZE -> {
                                if (replacements.free(f)) {
                                    replacements.claim(f, pseudonyms.placeholder(f.category(),
                                            t.text().substring(f.start(), f.end())));
                                }
                            }
                            case FLAG -> {
                            }
                        }
                    }
                }
                if (replacements.any()) {
                    parts.add(new ContentPart.Text(replacements.apply()));
                    partChanged = true;
                } else {
                    parts.add(part);
                }
            }
            messages.add(partChanged ? m.withContent(parts) : m);
            changed |= partChanged;
        }
        if (blockedBy != null) {
            throw Guardrails.blocked(blockedBy, Stage.INPUT, blockedFor);
        }
        return changed ? request.withMessages(messages) : request;
    }

    /** Non-overlapping replacements of spans of one text. */
    static final class Replacements {
        private final String text;
        private final List<int[]> spans = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        Replacements(String text) {
            this.text = text;
        }

        boolean free(Finding f) {
            for (int[] s : spans) {
                if (s[0] < f.end() && f.start() < s[1]) {
                    return false;
                }
            }
            return true;
        }

        void claim(Finding f, String replacement) {
            if (free(f) && f.category().spanned()) {
                spans.add(new int[] {f.start(), f.end()});
                values.add(replacement);
            }
        }

        boolean any() {
            return !spans.isEmpty();
        }

        String apply() {
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < spans.size(); k++) {
                order.add(k);
            }
            order.sort((a, b) -> Integer.compare(spans.get(a)[0], spans.get(b)[0]));
            StringBuilder out = new StringBuilder(text.length());
            int at = 0;
            for (int k : order) {
                out.append(text, at, spans.get(k)[0]).append(values.get(k));
                at = spans.get(k)[1];
            }
            return out.append(text, at, text.length()).toString();
        }
    }
}
