package dev.fundament.providers.local;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.inference.Usage;
import dev.fundament.providers.ChatProvider;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code local/extractive}: answers a question by quoting the sentences of the given passages that
 * share the most (rare) words with it, each with its passage number, so that retrieval-augmented
 * chat works with no language model installed. It generates nothing: every sentence of an answer is
 * a sentence of a passage, which makes it a fair baseline and never a source of invented facts.
 *
 * <p>Passages come from the system message as numbered blocks ({@code [1] title ...}), the shape the
 * retrieval step writes; without such blocks, every earlier message's paragraphs are passages. The
 * question is the last user message. A table row is quoted with its column names
 * ({@code Product: NW-500, List price: 389,000}) when the passage starts with the table's header.
 */
final class ExtractiveChatProvider implements ChatProvider {

    static final String MODEL = "extractive";
    /** Sentences quoted at most. */
    static final int SENTENCES = 3;
    static final String NOTHING = "The documents I was given do not answer this question.";

    private static final Pattern PASSAGE = Pattern.compile("(?m)^\\[(\\d{1,4})\\] ");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}-]*");
    private static final Set<String> STOP = Set.copyOf(List.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "is", "are",
            "was", "were", "be", "been", "what", "which", "who", "whom", "how", "when", "where", "why", "do", "does", "did",
            "i", "you", "we", "it", "its", "this", "that", "these", "those", "with", "by", "from", "at", "as", "can", "my",
            "our", "your", "much", "many", "there", "about", "me", "tell", "please", "der", "die", "das", "und", "oder",
            "ist", "sind", "ein", "eine", "wie", "was", "wer", "wo", "mit", "von", "zu", "für", "auf", "im", "den", "dem"));

    private record Sentence(int passage, int order, String text, Set<String> words) {
    }

    @Override
    public Uni<ChatResult> chat(String upstreamModel, ChatRequest request) {
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        Uni<ChatResult> result = Uni.createFrom().item(() -> {
            check(upstreamModel);
            String answer = answer(request);
            return new ChatResult("chatcmpl-" + UUID.randomUUID(), System.currentTimeMillis() / 1000, "local/" + MODEL,
                    List.of(new ChatResult.Choice(0, Message.text(Role.ASSISTANT, answer), FinishReason.STOP, Map.of())),
                    usage(request, answer), Map.of());
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        // scored on a worker (a long context takes a while), answered on the caller's event loop
        return loop == null ? result : result.emitOn(task -> loop.runOnContext(v -> task.run()));
    }

    @Override
    public Multi<ChatChunk> stream(String upstreamModel, ChatRequest request) {
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        Multi<ChatChunk> chunked = Multi.createFrom().deferred(() -> {
            check(upstreamModel);
            String answer = answer(request);
            String id = "chatcmpl-" + UUID.randomUUID();
            long created = System.currentTimeMillis() / 1000;
            List<ChatChunk> chunks = new ArrayList<>();
            chunks.add(chunk(id, created, Role.ASSISTANT, "", null, null));
            Matcher words = Pattern.compile("\\S+\\s*").matcher(answer);
            while (words.find()) {
                chunks.add(chunk(id, created, null, words.group(), null, null));
            }
            chunks.add(chunk(id, created, null, null, FinishReason.STOP, null));
            chunks.add(new ChatChunk(id, created, "local/" + MODEL, List.of(), usage(request, answer), Map.of()));
            return Multi.createFrom().iterable(chunks);
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        return loop == null ? chunked : chunked.emitOn(task -> loop.runOnContext(v -> task.run()));
    }

    private static ChatChunk chunk(String id, long created, Role role, String content, FinishReason finish, Usage usage) {
        return new ChatChunk(id, created, "local/" + MODEL,
                List.of(new ChatChunk.Delta(0, role, content, List.of(), finish, Map.of())), usage, Map.of());
    }

    private static void check(String upstreamModel) {
        if (!MODEL.equals(upstreamModel)) {
            throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "The in-process provider has no chat model '" + upstreamModel
                    + "'. Available: " + MODEL + ".", "model");
        }
    }

    private static Usage usage(ChatRequest request, String answer) {
        int chars = 0;
        for (Message m : request.messages()) {
            chars += m.text().length();
        }
        return new Usage((chars + 3) / 4, (answer.length() + 3) / 4, 0, 0, true);
    }

    static String answer(ChatRequest request) {
        List<Message> messages = request.messages();
        String question = "";
        int last = -1;
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                question = messages.get(i).text();
                last = i;
                break;
            }
        }
        Set<String> asked = words(question);
        asked.removeAll(STOP);
        if (asked.isEmpty()) {
            return NOTHING;
        }
        List<Sentence> sentences = sentences(messages, last);
        Map<String, Integer> df = new HashMap<>();
        for (Sentence s : sentences) {
            for (String w : s.words()) {
                df.merge(w, 1, Integer::sum);
            }
        }
        List<double[]> scored = new ArrayList<>(); // {score, index}
        for (int i = 0; i < sentences.size(); i++) {
            double score = 0;
            for (String w : asked) {
                if (sentences.get(i).words().contains(w)) {
                    score += Math.log(1 + (double) sentences.size() / df.get(w));
                }
            }
            if (score > 0) {
                scored.add(new double[] {score / (1 + 0.05 * sentences.get(i).passage()), i});
            }
        }
        if (scored.isEmpty()) {
            return NOTHING;
        }
        scored.sort((a, b) -> Double.compare(b[0], a[0]));
        double best = scored.get(0)[0];
        List<Sentence> chosen = new ArrayList<>();
        for (double[] s : scored) {
            if (chosen.size() == SENTENCES || s[0] < best * 0.5) {
                break;
            }
            chosen.add(sentences.get((int) s[1]));
        }
        chosen.sort((a, b) -> a.passage() != b.passage() ? Integer.compare(a.passage(), b.passage())
                : Integer.compare(a.order(), b.order()));
        StringBuilder out = new StringBuilder();
        for (Sentence s : chosen) {
            out.append(out.isEmpty() ? "" : " ").append(s.text());
            if (s.passage() > 0) {
                out.append(" [").append(s.passage()).append(']');
            }
        }
        return out.toString();
    }

    /** Sentences of the numbered passages in the system message, or of every message before the question. */
    private static List<Sentence> sentences(List<Message> messages, int question) {
        List<Sentence> out = new ArrayList<>();
        for (Message m : messages) {
            if (m.role() != Role.SYSTEM) {
                continue;
            }
            String text = m.text();
            Matcher p = PASSAGE.matcher(text);
            List<int[]> starts = new ArrayList<>();
            while (p.find()) {
                starts.add(new int[] {p.start(), p.end(), Integer.parseInt(p.group(1))});
            }
            for (int i = 0; i < starts.size(); i++) {
                int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
                split(starts.get(i)[2], text.substring(starts.get(i)[1], end), out);
            }
        }
        if (out.isEmpty()) {
            for (int i = 0; i < Math.max(0, question); i++) {
                split(0, "\n" + messages.get(i).text(), out); // no title line
            }
        }
        return out;
    }

    /** A passage's lines: its first line is its title; table rows become "column: value" sentences. */
    private static void split(int passage, String text, List<Sentence> out) {
        String[] lines = text.strip().split("\n");
        String[] header = null;
        for (int l = 1; l < lines.length; l++) {
            String line = lines[l].strip();
            if (line.contains(" | ")) {
                String[] cells = line.split(" \\| ", -1);
                if (header == null) {
                    header = cells;
                    continue;
                }
                StringBuilder row = new StringBuilder();
                for (int c = 0; c < cells.length; c++) {
                    if (!cells[c].isBlank()) {
                        row.append(row.isEmpty() ? "" : ", ").append(c < header.length ? header[c] + ": " : "").append(cells[c]);
                    }
                }
                add(passage, row + ".", out);
                continue;
            }
            header = null;
            String title = lines[0].strip();
            if (line.replaceFirst("^[a-z][a-z_]{0,29}: ", "").equals(title) || line.equals(title)) {
                continue; // the title again, as a record's "subject: ..." line: no answer in itself
            }
            for (String sentence : line.split("(?<=[.!?])\\s+(?=[\\p{Lu}\\d])")) {
                add(passage, sentence.replaceFirst("^[a-z][a-z_]{0,29}: ", ""), out); // a record's field label
            }
        }
        if (lines.length == 1) {
            add(passage, lines[0], out);
        }
    }

    private static void add(int passage, String text, List<Sentence> out) {
        String t = text.strip();
        if (t.length() > 1) {
            out.add(new Sentence(passage, out.size(), t, words(t)));
        }
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            out.add(w.length() > 4 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w);
        }
        return out;
    }
}
