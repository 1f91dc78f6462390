package dev.fundament.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Lorem-ipsum text, one word per token, in sentences of 6 to 14 words. Every piece a stream can send
 * is built once here ({@code "Lorem"}, {@code " ipsum"}, {@code " dolor."}, ...), so generating an
 * answer allocates only the list that holds it. The words need no JSON escaping, which the stream
 * writer relies on for its fast path.
 */
final class Lorem {

    private static final String[] WORDS = {
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod",
        "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim", "veniam",
        "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea", "commodo",
        "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse", "cillum",
        "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat", "cupidatat", "non", "proident", "sunt",
        "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est", "laborum"
    };
    private static final int FIRST = 4;
    private static final int CAPITAL = 2;
    private static final int PERIOD = 1;
    /** PIECES[variant][word], variant a combination of FIRST, CAPITAL and PERIOD. */
    private static final String[][] PIECES = new String[8][WORDS.length];

    static {
        for (int variant = 0; variant < 8; variant++) {
            for (int w = 0; w < WORDS.length; w++) {
                String word = (variant & CAPITAL) != 0
                        ? WORDS[w].substring(0, 1).toUpperCase(Locale.ROOT) + WORDS[w].substring(1) : WORDS[w];
                PIECES[variant][w] = ((variant & FIRST) != 0 ? "" : " ") + word + ((variant & PERIOD) != 0 ? "." : "");
            }
        }
    }

    private Lorem() {
    }

    /** @return {@code count} pieces that join into sentences; the last ends with a period */
    static List<String> words(SplittableRandom random, int count) {
        String[] out = new String[count];
        int sentenceLeft = 0;
        for (int i = 0; i < count; i++) {
            boolean starts = sentenceLeft == 0;
            if (starts) {
                sentenceLeft = random.nextInt(6, 15);
            }
            sentenceLeft--;
            boolean ends = sentenceLeft == 0 || i == count - 1;
            int variant = (i == 0 ? FIRST : 0) | (starts ? CAPITAL : 0) | (ends ? PERIOD : 0);
            out[i] = PIECES[variant][random.nextInt(WORDS.length)];
        }
        return Arrays.asList(out);
    }

    /** @return how many words {@code text} has: runs of characters between whitespace */
    static int countWords(CharSequence text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
