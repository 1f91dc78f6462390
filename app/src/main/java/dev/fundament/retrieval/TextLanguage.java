package dev.fundament.retrieval;

import java.util.Locale;
import java.util.Set;

/**
 * English or German, told by function words: a chunk of prose has many (the, of, and / der, die,
 * und), and they are what a language's analysis depends on. A text with too few of them, or a mix,
 * is undecided, and is then analysed both ways. Only the two languages the index analyses are told
 * apart; anything else is undecided.
 */
final class TextLanguage {

    /** Function words of one language that are not words of the other. */
    private static final Set<String> ENGLISH = Set.of("the", "and", "of", "to", "is", "that", "for", "with", "are", "this",
            "were", "be", "by", "on", "as", "from", "it", "or", "which", "have", "has", "not", "at", "its", "these", "been");
    private static final Set<String> GERMAN = Set.of("der", "die", "das", "und", "ist", "nicht", "mit", "von", "zu", "für",
            "auf", "ein", "eine", "einer", "den", "dem", "des", "sich", "auch", "werden", "wird", "sind", "bei", "oder",
            "im", "nach", "wie", "aus", "zur", "zum", "einen", "kann");
    /** Function words a text needs before it is decided. */
    static final int MIN_EVIDENCE = 3;
    /** How much the stronger language must outweigh the other. */
    static final int MARGIN = 3;
    private static final int READ = 4000;

    private TextLanguage() {
    }

    /** @return {@code en}, {@code de}, or null when undecided */
    static String of(String text) {
        int en = 0;
        int de = 0;
        int n = Math.min(text.length(), READ);
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetter(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetter(text.charAt(i))) {
                i++;
            }
            if (i > start && i - start <= 6) {
                String w = text.substring(start, i).toLowerCase(Locale.ROOT);
                if (ENGLISH.contains(w)) {
                    en++;
                } else if (GERMAN.contains(w)) {
                    de++;
                }
            }
        }
        if (en + de < MIN_EVIDENCE) {
            return null;
        }
        if (en >= MARGIN * Math.max(1, de)) {
            return "en";
        }
        if (de >= MARGIN * Math.max(1, en)) {
            return "de";
        }
        return null;
    }
}
