package dev.fundament.retrieval.ingest;

/**
 * Token counts for chunk sizes, estimated without the embedding model's tokenizer: a word-piece
 * tokenizer splits a word of up to six letters into one piece and longer or rarer words into about
 * one piece per five letters, and every punctuation mark and digit group is a piece. On English and
 * German prose this lands within about 15 % of bge's real count, which is all a chunk limit needs.
 */
final class Tokens {

    private Tokens() {
    }

    static int count(CharSequence text) {
        int tokens = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                int start = i;
                while (i < n && Character.isLetter(text.charAt(i))) {
                    i++;
                }
                int length = i - start;
                tokens += length <= 6 ? 1 : (length + 4) / 5;
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                tokens += (i - start + 2) / 3;
            } else {
                if (!Character.isWhitespace(c)) {
                    tokens++;
                }
                i++;
            }
        }
        return tokens;
    }
}
