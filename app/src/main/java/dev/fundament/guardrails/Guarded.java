package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec.Action;
import dev.fundament.config.GuardrailsSpec.Stage;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.Message;
import dev.fundament.routing.Route;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A request after the input stage: the request to send (rewritten when values were redacted or
 * pseudonymised), the route it may take (narrowed by residency rules), and the output stage for its
 * answer. Output policies judge what the model wrote; then pseudonymised values are put back.
 */
public final class Guarded {

    private final ChatRequest request;
    private final Route route;
    private final Pseudonyms pseudonyms;
    private final List<Guardrails.Policy> output;
    private final List<Detector> detectors;
    private final int holdBack;
    private final Consumer<Decision> decisions;
    private final Set<String> classification;

    Guarded(ChatRequest request, Route route, Pseudonyms pseudonyms, List<Guardrails.Policy> output, int holdBack,
            Consumer<Decision> decisions, Set<String> classification) {
        this.classification = classification;
        this.request = request;
        this.route = route;
        this.pseudonyms = pseudonyms;
        this.output = output;
        Set<Detector> needed = new LinkedHashSet<>();
        output.forEach(p -> needed.addAll(p.detectors()));
        this.detectors = needed.stream().filter(d -> !d.categories().contains(Category.PROMPT_INJECTION)).toList();
        this.holdBack = holdBack;
        this.decisions = decisions;
    }

    public ChatRequest request() {
        return request;
    }

    public Route route() {
        return route;
    }

    /** @return what the input stage found in the request, as data classification labels for routing conditions */
    public Set<String> classification() {
        return classification;
    }

    /** @return whether the answer needs looking at (output policies, or values to restore) */
    public boolean watchesOutput() {
        return !detectors.isEmpty() || !pseudonyms.isEmpty();
    }

    /** Checks and restores a whole answer. */
    public ChatResult output(ChatResult result) {
        if (!watchesOutput()) {
            return result;
        }
        List<ChatResult.Choice> choices = new ArrayList<>(result.choices().size());
        for (ChatResult.Choice c : result.choices()) {
            Message m = c.message();
            List<ContentPart> parts = new ArrayList<>(m.content().size());
            for (ContentPart part : m.content()) {
                parts.add(part instanceof ContentPart.Text t ? new ContentPart.Text(check(t.text(), findings(t.text(), 0),
                        c.index(), 0, t.text().length())) : part);
            }
            choices.add(new ChatResult.Choice(c.index(), m.withContent(parts), c.finishReason(), c.extensions()));
        }
        return new ChatResult(result.id(), result.created(), result.model(), choices, result.usage(), result.extensions());
    }

    /** @return what the output detectors find in {@code raw} from {@code scanFrom}, at positions in {@code raw} */
    private List<Finding> findings(String raw, int scanFrom) {
        return detectors.isEmpty() ? List.of() : offset(Scanner.scan(raw.substring(scanFrom), detectors), scanFrom);
    }

    /**
     * Acts on the findings that reach into {@code raw[emitFrom, emitTo)} and returns that stretch
     * redacted and restored. Throws when a block policy matched.
     */
    private String check(String raw, List<Finding> findings, int choice, int emitFrom, int emitTo) {
        InputCheck.Replacements replacements = new InputCheck.Replacements(raw.substring(emitFrom, emitTo));
        Guardrails.Policy blockedBy = null;
        Set<Category> blockedFor = EnumSet.noneOf(Category.class);
        for (Guardrails.Policy p : output) {
            for (Finding f : findings) {
                if (f.end() <= emitFrom || f.start() >= emitTo || !p.matches(f)) {
                    continue;
                }
                decisions.accept(new Decision(p.name(), Stage.OUTPUT, f.category(), f.detector(), p.action(), choice,
                        f.start(), f.end(), f.score()));
                if (p.action() == Action.BLOCK) {
                    if (blockedBy == null || blockedBy == p) {
                        blockedBy = p;
                        blockedFor.add(f.category());
                    }
                } else if (p.action() == Action.REDACT && f.start() >= emitFrom) {
                    replacements.claim(new Finding(f.category(), f.detector(), f.start() - emitFrom,
                            Math.min(f.end(), emitTo) - emitFrom, f.score()), "[" + f.category().placeholder() + "]");
                }
            }
        }
        if (blockedBy != null) {
            throw Guardrails.blocked(blockedBy, Stage.OUTPUT, blockedFor);
        }
        String text = replacements.any() ? replacements.apply() : raw.substring(emitFrom, emitTo);
        return pseudonyms.restore(text);
    }

    private static List<Finding> offset(List<Finding> findings, int by) {
        if (by == 0) {
            return findings;
        }
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            out.add(new Finding(f.category(), f.detector(), f.start() + by, f.end() + by, f.score()));
        }
        return out;
    }

    /** @return a fresh output stage for one streamed answer */
    public StreamGuard stream() {
        return new StreamGuard();
    }

    /**
     * The output stage of a stream. Text is released once it is more than the hold-back window behind
     * the newest character, never in the middle of a finding or a placeholder, so an entity split
     * across chunks is seen whole before any of it goes out; a block ends the stream with an error
     * before the blocked text is released. The window is the only delay it adds.
     */
    public final class StreamGuard {

        private static final int CONTEXT = 64;
        private static final int MAX_WORD = 1024;
        private final java.util.Map<Integer, StringBuilder> raw = new java.util.HashMap<>();
        private final java.util.Map<Integer, Integer> emitted = new java.util.HashMap<>();
        private ChatChunk last;
        private RuntimeException stopped;

        /**
         * @return why this guard stopped the stream, or {@code null}. Stopping cancels the upstream,
         *         which may report its own failure first; the caller must see this one.
         */
        public RuntimeException stopped() {
            return stopped;
        }

        /** @return the chunk to send instead, or {@code null} when nothing of it can go out yet */
        public ChatChunk accept(ChatChunk chunk) {
            try {
                return acceptOrThrow(chunk);
            } catch (RuntimeException e) {
                stopped = e;
                throw e;
            }
        }

        private ChatChunk acceptOrThrow(ChatChunk chunk) {
            last = chunk;
            List<ChatChunk.Delta> deltas = new ArrayList<>(chunk.choices().size());
            for (ChatChunk.Delta d : chunk.choices()) {
                String text = "";
                if (d.content() != null && !d.content().isEmpty()) {
                    raw.computeIfAbsent(d.index(), k -> new StringBuilder()).append(d.content());
                }
                text = drain(d.index(), d.finishReason() != null);
                boolean keep = !text.isEmpty() || d.role() != null || !d.toolCalls().isEmpty() || d.finishReason() != null
                        || !d.extensions().isEmpty();
                if (keep) {
                    deltas.add(new ChatChunk.Delta(d.index(), d.role(), text.isEmpty() ? (d.content() == null ? null : "") : text,
                            d.toolCalls(), d.finishReason(), d.extensions()));
                }
            }
            if (deltas.isEmpty() && chunk.usage() == null) {
                return null;
            }
            return new ChatChunk(chunk.id(), chunk.created(), chunk.model(), deltas, chunk.usage(), chunk.extensions());
        }

        /** @return a last chunk with whatever is still held back, or {@code null} */
        public ChatChunk finish() {
            try {
                return finishOrThrow();
            } catch (RuntimeException e) {
                stopped = e;
                throw e;
            }
        }

        private ChatChunk finishOrThrow() {
            List<ChatChunk.Delta> deltas = new ArrayList<>();
            for (Integer index : raw.keySet()) {
                String text = drain(index, true);
                if (!text.isEmpty()) {
                    deltas.add(new ChatChunk.Delta(index, null, text, List.of(), null, java.util.Map.of()));
                }
            }
            if (deltas.isEmpty() || last == null) {
                return null;
            }
            return new ChatChunk(last.id(), last.created(), last.model(), deltas, null, java.util.Map.of());
        }

        private String drain(int index, boolean end) {
            StringBuilder buffer = raw.get(index);
            if (buffer == null) {
                return "";
            }
            int from = emitted.getOrDefault(index, 0);
            int length = buffer.length();
            if (!end && length - from <= holdBack) {
                return "";
            }
            String text = buffer.toString();
            int scanFrom = Math.max(0, from - CONTEXT);
            int boundary = end ? length : length - holdBack;
            List<Finding> findings = findings(text, scanFrom);
            if (!end) {
                for (Finding f : findings) {
                    if (f.start() < boundary && f.end() > boundary && f.start() >= from) {
                        boundary = f.start();
                    }
                }
                // Never cut a word: e-mail addresses, tokens and keys are held whole (up to a limit).
                int word = boundary;
                while (word > from && boundary - word < MAX_WORD && !Character.isWhitespace(text.charAt(word - 1))) {
                    word--;
                }
                if (boundary - word < MAX_WORD && (word > from || from == 0 || Character.isWhitespace(text.charAt(from - 1)))) {
                    boundary = word;
                }
                // Nor a placeholder that is not closed before the boundary.
                int open = text.lastIndexOf('<', boundary - 1);
                int close = open < 0 ? -1 : text.indexOf('>', open);
                if (open >= from && boundary - open < Pseudonyms.MAX_LENGTH && (close < 0 || close >= boundary)) {
                    boundary = open;
                }
            }
            if (boundary <= from) {
                return "";
            }
            String out = check(text, findings, index, from, boundary);
            emitted.put(index, boundary);
            return out;
        }
    }
}
