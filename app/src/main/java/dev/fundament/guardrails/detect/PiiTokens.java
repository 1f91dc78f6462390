package dev.fundament.guardrails.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Words of a text for the person detector: runs of letters with inner apostrophes and hyphens ("O'Connor", "Hauta-aho"). */
final class PiiTokens {

    private PiiTokens() {
    }

    /**
     * @param key         the word lower-cased, without a possessive "'s"
     * @param capitalised an upper-case letter then not only upper-case ones ("Anna", "McKay"; not "BASHALL")
     * @param initial     a single letter ("R" in "Clara R. Dickson")
     * @param possessive  written with "'s"; {@code end} stops before it
     */
    record Token(int start, int end, String key, boolean capitalised, boolean initial, boolean possessive) {
    }

    static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!Character.isLetter(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean upperRest = true;
            while (i < n && (Character.isLetter(s.charAt(i))
                    || isJoiner(s.charAt(i)) && i + 1 < n && Character.isLetter(s.charAt(i + 1)))) {
                if (i > start && Character.isLowerCase(s.charAt(i))) {
                    upperRest = false;
                }
                i++;
            }
            int end = i;
            boolean possessive = end - start > 2 && (s.charAt(end - 2) == '\'' || s.charAt(end - 2) == '’')
                    && s.charAt(end - 1) == 's';
            if (possessive) {
                end -= 2;
            }
            int len = end - start;
            boolean upper = Character.isUpperCase(s.charAt(start));
            tokens.add(new Token(start, end, s.substring(start, end).toLowerCase(Locale.ROOT), len >= 2 && upper && !upperRest,
                    len == 1 && upper, possessive));
        }
        return tokens;
    }

    private static boolean isJoiner(char c) {
        return c == '\'' || c == '-' || c == '’';
    }

    /** @return whether two neighbouring tokens belong to one name: one space or hyphen between, or ". " after an initial */
    static boolean joined(String s, Token a, Token b) {
        int gap = b.start() - a.end();
        if (gap == 1) {
            char c = s.charAt(a.end());
            return c == ' ' || c == '-' || c == '.' && a.initial();
        }
        return gap == 2 && a.initial() && s.charAt(a.end()) == '.' && s.charAt(a.end() + 1) == ' ';
    }
}
