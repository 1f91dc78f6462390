package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec.Action;
import dev.fundament.config.GuardrailsSpec.Stage;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The input stage over one request: every text the request carries ({@link TextFields}: messages,
 * names, tool calls and results, tool definitions, response format, {@code user}, metadata and every
 * other forwarded field) is scanned once with the detectors the applicable policies and residency
 * rules need; policies act in their configured order (the first to claim a span decides how it is
 * replaced); blocks are thrown only after every decision was recorded. Prompt-injection is judged on
 * the content of user and tool messages only: system prompts, tool definitions and schemas are the
 * application's own.
 *
 * <p>A value split over two messages ({@code AKIAIOSF} in one, {@code ODNN7EXAMPLE} in the next) is
 * found on the seam: the end of each message text and the start of the next (in order, and the next
 * of the same role) are scanned joined; a finding across the seam that neither side has on its own is
 * acted on in both pieces, the replacement standing in the first and the second piece removed. A
 * secret is taken across the seam even when one side is a secret on its own: the first half of a
 * long key may already look like one, and its second half must not go out.
 */
final class InputCheck {

    /** Characters on each side of a seam between two messages that are scanned joined. */
    static final int SEAM = 128;

    private InputCheck() {
    }

    /**
     * A finding in one field.
     *
     * @param value        for a piece of a split value, all of it; {@code null} when it is the finding's span
     * @param continuation whether this is a later piece of a split value, replaced by nothing
     */
    private record Hit(Finding finding, String value, boolean continuation) {
    }

    static ChatRequest run(ChatRequest request, List<Guardrails.Policy> policies, List<Guardrails.Residency> rules,
                           Pseudonyms pseudonyms, Consumer<Decision> decisions, Set<Category> found,
                           Set<String> foundCanaries, Detectors registry) {
        Set<Detector> needed = new LinkedHashSet<>();
        policies.forEach(p -> needed.addAll(p.detectors()));
        rules.forEach(r -> needed.addAll(r.detectors()));
        List<Detector> all = List.copyOf(needed);
        List<Detector> withoutInjection = all.stream().filter(d -> !d.categories().contains(Category.PROMPT_INJECTION)).toList();

        List<TextFields.Field> fields = TextFields.of(request);
        List<List<Hit>> hits = new ArrayList<>(fields.size());
        Batch definitions = new Batch();
        Batch others = new Batch();
        for (int k = 0; k < fields.size(); k++) {
            TextFields.Field field = fields.get(k);
            hits.add(new ArrayList<>());
            switch (field.kind()) {
                case CONTENT -> {
                    for (Finding f : registry.scan(field.text(), judged(field) ? all : withoutInjection)) {
                        hits.get(k).add(new Hit(f, null, false));
                    }
                }
                case TOOL, RESPONSE_FORMAT -> definitions.add(k, field.text());
                default -> others.add(k, field.text());
            }
        }
        if (!withoutInjection.isEmpty()) {
            definitions.scan(registry, withoutInjection, hits);
            others.scan(registry, withoutInjection, hits);
            seams(fields, hits, registry, withoutInjection);
        }

        Guardrails.Policy blockedBy = null;
        Set<Category> blockedFor = EnumSet.noneOf(Category.class);
        String[] replaced = new String[fields.size()];
        boolean changed = false;
        for (int k = 0; k < fields.size(); k++) {
            TextFields.Field field = fields.get(k);
            String text = field.text();
            replaced[k] = text;
            Replacements replacements = new Replacements(text);
            for (Hit h : hits.get(k)) {
                Finding f = h.finding();
                if (f.score() >= 0.5) {
                    found.add(f.category());
                    if (f.category() == Category.CANARY) {
                        foundCanaries.add(f.detector());
                    }
                }
            }
            for (Guardrails.Policy p : policies) {
                for (Hit h : hits.get(k)) {
                    Finding f = h.finding();
                    if (!p.matches(f)) {
                        continue;
                    }
                    decisions.accept(new Decision(p.name(), Stage.INPUT, f.category(), f.detector(), p.action(),
                            field.message(), f.start(), f.end(), f.score()));
                    switch (p.action()) {
                        case BLOCK -> {
                            if (blockedBy == null || blockedBy == p) {
                                blockedBy = p;
                                blockedFor.add(f.category());
                            }
                        }
                        case REDACT -> replacements.claim(f, h.continuation() ? "" : "[" + f.category().placeholder() + "]");
                        case PSEUDONYMIZE -> {
                            if (replacements.free(f)) {
                                replacements.claim(f, h.continuation() ? "" : pseudonyms.placeholder(f.category(),
                                        h.value() != null ? h.value() : text.substring(f.start(), f.end())));
                            }
                        }
                        case FLAG -> {
                        }
                    }
                }
            }
            if (replacements.any()) {
                replaced[k] = replacements.apply();
                changed = true;
            }
        }
        if (blockedBy != null) {
            throw Guardrails.blocked(blockedBy, Stage.INPUT, blockedFor);
        }
        if (!changed) {
            return request;
        }
        int[] next = {0};
        return TextFields.map(request, f -> replaced[next[0]++]);
    }

    private static boolean judged(TextFields.Field field) {
        return field.kind() == TextFields.Kind.CONTENT && (field.role() == Role.USER || field.role() == Role.TOOL);
    }

    /**
     * Short fields scanned as one text: a detector's fixed cost per call would otherwise be paid for
     * each of the hundreds of strings of a few tool schemas. Tool definitions and the response format
     * are one batch, the same request after request, so the scan cache answers for them; everything
     * else but message content is the other. A line with a bar between fields keeps values apart; a
     * finding that still crosses it is acted on in each field it covers.
     */
    private static final class Batch {
        private static final String SEPARATOR = "\n|\n";
        private final StringBuilder text = new StringBuilder();
        private final List<Integer> fields = new ArrayList<>();
        private final List<Integer> starts = new ArrayList<>();

        void add(int field, String value) {
            if (!fields.isEmpty()) {
                text.append(SEPARATOR);
            }
            fields.add(field);
            starts.add(text.length());
            text.append(value);
        }

        void scan(Detectors registry, List<Detector> detectors, List<List<Hit>> hits) {
            if (fields.isEmpty()) {
                return;
            }
            for (Finding f : registry.scan(text.toString(), detectors)) {
                for (int i = 0; i < fields.size(); i++) {
                    int start = starts.get(i);
                    int end = i + 1 < fields.size() ? starts.get(i + 1) - SEPARATOR.length() : text.length();
                    if (f.start() < end && f.end() > start) {
                        hits.get(fields.get(i)).add(new Hit(new Finding(f.category(), f.detector(), Math.max(f.start(), start) - start,
                                Math.min(f.end(), end) - start, f.score()), null, false));
                    }
                }
            }
        }
    }

    /**
     * Finds values split between message texts: each text with the next one, and with the next one of
     * the same role when that is not the next one.
     */
    private static void seams(List<TextFields.Field> fields, List<List<Hit>> hits, Detectors registry, List<Detector> detectors) {
        List<Integer> texts = new ArrayList<>();
        for (int k = 0; k < fields.size(); k++) {
            if (fields.get(k).kind() == TextFields.Kind.CONTENT) {
                texts.add(k);
            }
        }
        for (int t = 0; t + 1 < texts.size(); t++) {
            int a = texts.get(t);
            seam(fields, hits, a, texts.get(t + 1), registry, detectors);
            for (int u = t + 2; u < texts.size(); u++) {
                if (fields.get(texts.get(u)).role() == fields.get(a).role()) {
                    if (fields.get(texts.get(t + 1)).role() != fields.get(a).role()) {
                        seam(fields, hits, a, texts.get(u), registry, detectors);
                    }
                    break;
                }
            }
        }
    }

    private static void seam(List<TextFields.Field> fields, List<List<Hit>> hits, int a, int b, Detectors registry,
                             List<Detector> detectors) {
        String first = fields.get(a).text();
        String second = fields.get(b).text();
        int from = Math.max(0, first.length() - SEAM);
        int join = first.length() - from;
        String joined = first.substring(from) + second.substring(0, Math.min(second.length(), SEAM));
        for (Finding f : registry.scan(joined, detectors, true)) {
            if (!f.category().spanned() || f.start() >= join || f.end() <= join) {
                continue;
            }
            Finding head = new Finding(f.category(), f.detector(), f.start() + from, first.length(), f.score());
            Finding tail = new Finding(f.category(), f.detector(), 0, f.end() - join, f.score());
            if (f.category() != Category.SECRET && (covered(hits.get(a), head) || covered(hits.get(b), tail))) {
                continue; // an address or a number of one side that the join merely lengthened
            }
            String value = joined.substring(f.start(), f.end());
            hits.get(a).add(new Hit(head, value, false));
            hits.get(b).add(new Hit(tail, value, true));
        }
    }

    private static boolean covered(List<Hit> hits, Finding piece) {
        for (Hit h : hits) {
            if (h.finding().category() == piece.category() && h.finding().overlaps(piece)) {
                return true;
            }
        }
        return false;
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
