package dev.fundament.retrieval.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document's blocks into chunks along its structure: a heading always starts a new chunk
 * (passages from different sections do not blur into one vector), paragraphs are packed until the
 * token limit, a paragraph longer than the limit is split at sentence ends with some overlap, and a
 * table is split between rows with its header row repeated at the top of every piece, so a price
 * row is never separated from the column names that say what its numbers are.
 *
 * <p>Each chunk carries its heading path ({@code Handbook > Leave > Parental leave}); the indexed
 * text starts with it, so a passage deep in a section is still found by the section's words.
 */
final class Chunker {

    /** One chunk. {@code heading} may be empty. */
    record Piece(String heading, String text) {

        /** The text that is indexed and embedded: the heading path, then the passage. */
        String indexed() {
            return heading.isEmpty() ? text : heading + "\n" + text;
        }
    }

    private final int maxTokens;
    private final int overlapTokens;

    Chunker(int maxTokens, int overlapTokens) {
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    List<Piece> chunk(List<Block> blocks) {
        return new Run().chunk(blocks);
    }

    private final class Run {
        private final String[] headings = new String[7];
        private final List<Piece> out = new ArrayList<>();
        private final StringBuilder body = new StringBuilder();
        private int bodyTokens;
        private String tableHeader;

        List<Piece> chunk(List<Block> blocks) {
            for (Block b : blocks) {
                switch (b.kind()) {
                    case HEADING -> {
                        emit();
                        int level = Math.max(1, Math.min(6, b.level()));
                        headings[level] = b.text();
                        for (int i = level + 1; i < headings.length; i++) {
                            headings[i] = null;
                        }
                    }
                    case PARAGRAPH -> add(b.text(), false);
                    case ROW -> {
                        if (b.level() == 1 && tableHeader == null) {
                            tableHeader = b.text();
                        }
                        add(b.text(), true);
                    }
                    case TABLE_END -> tableHeader = null;
                }
            }
            emit();
            return out;
        }

        private String path() {
            StringBuilder p = new StringBuilder();
            for (String h : headings) {
                if (h != null) {
                    p.append(p.isEmpty() ? "" : " > ").append(h);
                }
            }
            return p.toString();
        }

        private int budget() {
            return Math.max(maxTokens / 4, maxTokens - Tokens.count(path()));
        }

        private void add(String text, boolean row) {
            int tokens = Tokens.count(text);
            if (tokens > budget()) {
                emit();
                for (String piece : split(text, budget())) {
                    append(piece, Tokens.count(piece));
                    emit();
                }
                return;
            }
            if (bodyTokens + tokens > budget()) {
                emit();
                if (row && tableHeader != null && !text.equals(tableHeader)) {
                    append(tableHeader, Tokens.count(tableHeader));
                }
            }
            append(text, tokens);
        }

        private void append(String text, int tokens) {
            if (!body.isEmpty()) {
                body.append('\n');
            }
            body.append(text);
            bodyTokens += tokens;
        }

        private void emit() {
            if (!body.isEmpty()) {
                out.add(new Piece(path(), body.toString()));
            }
            body.setLength(0);
            bodyTokens = 0;
        }
    }

    /** Splits a long text at sentence ends (at spaces inside an over-long sentence), with overlap. */
    List<String> split(String text, int limit) {
        List<String> units = new ArrayList<>();
        for (String sentence : text.split("(?<=[.!?;:])\\s+")) {
            if (Tokens.count(sentence) <= limit) {
                units.add(sentence);
            } else {
                units.addAll(words(sentence, limit));
            }
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int tokens = 0;
        for (String unit : units) {
            int t = Tokens.count(unit);
            if (tokens + t > limit && !current.isEmpty()) {
                pieces.add(current.toString());
                String overlap = tail(current.toString(), Math.min(overlapTokens, limit - t));
                current.setLength(0);
                current.append(overlap);
                tokens = Tokens.count(overlap);
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(unit);
            tokens += t;
        }
        if (!current.isEmpty()) {
            pieces.add(current.toString());
        }
        return pieces;
    }

    private static List<String> words(String sentence, int limit) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        int tokens = 0;
        for (String word : sentence.split("\\s+")) {
            int t = Tokens.count(word);
            if (tokens + t > limit && !b.isEmpty()) {
                out.add(b.toString());
                b.setLength(0);
                tokens = 0;
            }
            if (t > limit) { // one "word" longer than a chunk (a hash, a base64 blob): cut by characters
                for (int i = 0; i < word.length(); i += limit) {
                    out.add(word.substring(i, Math.min(word.length(), i + limit)));
                }
                continue;
            }
            b.append(b.isEmpty() ? "" : " ").append(word);
            tokens += t;
        }
        if (!b.isEmpty()) {
            out.add(b.toString());
        }
        return out;
    }

    /** The last words of {@code text} that make up at most {@code tokens} tokens. */
    private static String tail(String text, int tokens) {
        if (tokens <= 0) {
            return "";
        }
        String[] words = text.split("\\s+");
        int count = 0;
        int from = words.length;
        while (from > 0 && count + Tokens.count(words[from - 1]) <= tokens) {
            count += Tokens.count(words[--from]);
        }
        return String.join(" ", java.util.Arrays.asList(words).subList(from, words.length));
    }
}
