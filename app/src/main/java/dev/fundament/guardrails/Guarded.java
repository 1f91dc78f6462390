package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec.Action;
import dev.fundament.config.GuardrailsSpec.Stage;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
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

    /** Checks and restores a whole answer: every text of it ({@link TextFields}), tool-call arguments included. */
    public ChatResult output(ChatResult result) {
        if (!watchesOutput()) {
            return result;
        }
        return TextFields.map(result, f -> {
            String checked = check(f.text(), findings(f.text(), 0), f.message(), 0, f.text().length());
            return checked.equals(f.text()) ? f.text() : checked;
        });
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
     * The output stage of a stream. Each choice's text and each of its tool calls' arguments is held
     * on its own (tool-call fragments assembled by the call's index), and released once it is more
     * than the hold-back window behind the newest character, never in the middle of a finding or a
     * placeholder, so an entity split across chunks is seen whole before any of it goes out; a block
     * ends the stream with an error before the blocked text is released. The window is the only delay
     * it adds. A tool call's id and name go out at once; its arguments follow as they are released.
     */
    public final class StreamGuard {

        private static final int CONTEXT = 64;
        private static final int MAX_WORD = 1024;
        private static final int CONTENT = -1;

        /** One held text: a choice's content ({@code call} {@value #CONTENT}) or one tool call's arguments. */
        private static final class Channel {
            final int choice;
            final int call;
            final StringBuilder raw = new StringBuilder();
            int emitted;

            Channel(int choice, int call) {
                this.choice = choice;
                this.call = call;
            }
        }

        private final java.util.Map<Long, Channel> channels = new java.util.LinkedHashMap<>();
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

        private Channel channel(int choice, int call) {
            return channels.computeIfAbsent(((long) choice << 32) | (call & 0xFFFFFFFFL), k -> new Channel(choice, call));
        }

        private ChatChunk acceptOrThrow(ChatChunk chunk) {
            last = chunk;
            List<ChatChunk.Delta> deltas = new ArrayList<>(chunk.choices().size());
            for (ChatChunk.Delta d : chunk.choices()) {
                boolean end = d.finishReason() != null;
                Channel content = channel(d.index(), CONTENT);
                if (d.content() != null) {
                    content.raw.append(d.content());
                }
                String text = drain(content, end);
                List<ChatChunk.ToolCallDelta> calls = new ArrayList<>(d.toolCalls().size());
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (ChatChunk.ToolCallDelta call : d.toolCalls()) {
                    Channel arguments = channel(d.index(), call.index());
                    if (call.arguments() != null) {
                        arguments.raw.append(call.arguments());
                    }
                    String released = drain(arguments, end);
                    seen.add(call.index());
                    if (call.id() != null || call.name() != null || !released.isEmpty()) {
                        calls.add(new ChatChunk.ToolCallDelta(call.index(), call.id(), call.name(),
                                released.isEmpty() && call.arguments() == null ? null : released));
                    }
                }
                if (end) {
                    calls.addAll(rest(d.index(), seen));
                }
                boolean keep = !text.isEmpty() || d.role() != null || !calls.isEmpty() || end || !d.extensions().isEmpty();
                if (keep) {
                    deltas.add(new ChatChunk.Delta(d.index(), d.role(), text.isEmpty() ? (d.content() == null ? null : "") : text,
                            calls, d.finishReason(), d.extensions()));
                }
            }
            if (deltas.isEmpty() && chunk.usage() == null) {
                return null;
            }
            return new ChatChunk(chunk.id(), chunk.created(), chunk.model(), deltas, chunk.usage(), chunk.extensions());
        }

        /** @return what is still held of a choice's tool calls, other than {@code except}, released in full */
        private List<ChatChunk.ToolCallDelta> rest(int choice, java.util.Set<Integer> except) {
            List<ChatChunk.ToolCallDelta> out = new ArrayList<>();
            for (Channel c : List.copyOf(channels.values())) {
                if (c.choice == choice && c.call != CONTENT && !except.contains(c.call)) {
                    String released = drain(c, true);
                    if (!released.isEmpty()) {
                        out.add(new ChatChunk.ToolCallDelta(c.call, null, null, released));
                    }
                }
            }
            return out;
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
            java.util.Map<Integer, ChatChunk.Delta> byChoice = new java.util.LinkedHashMap<>();
            for (Channel c : List.copyOf(channels.values())) {
                if (c.call != CONTENT) {
                    continue;
                }
                String text = drain(c, true);
                List<ChatChunk.ToolCallDelta> calls = rest(c.choice, java.util.Set.of());
                if (!text.isEmpty() || !calls.isEmpty()) {
                    byChoice.put(c.choice, new ChatChunk.Delta(c.choice, null, text.isEmpty() ? null : text, calls, null,
                            java.util.Map.of()));
                }
            }
            if (byChoice.isEmpty() || last == null) {
                return null;
            }
            return new ChatChunk(last.id(), last.created(), last.model(), List.copyOf(byChoice.values()), null, java.util.Map.of());
        }

        private String drain(Channel channel, boolean end) {
            StringBuilder buffer = channel.raw;
            int from = channel.emitted;
            int length = buffer.length();
            if (length == from || !end && length - from <= holdBack) {
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
            String out = check(text, findings, channel.choice, from, boundary);
            channel.emitted = boundary;
            return out;
        }
    }
}
