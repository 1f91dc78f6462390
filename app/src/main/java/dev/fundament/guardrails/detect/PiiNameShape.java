package dev.fundament.guardrails.detect;

/**
 * The shape of a name the dictionary does not know: family-name endings of the Slavic, Nordic,
 * Baltic-Finnic, Greek, Georgian, Armenian, Romanian and Turkish naming traditions ("Vizirov",
 * "Karlsdóttir", "Rintanen", "Tomić"), and romanised Japanese ("Fukunaga"). Only ever used together
 * with other evidence, never alone.
 */
final class PiiNameShape {

    private static final String[] FAMILY_ENDINGS = {"ov", "ova", "ev", "eva", "vich", "vych", "ovna", "evna", "ski", "ska",
        "sky", "skiy", "skaya", "wicz", "ić", "ič", "enko", "chuk", "czuk", "czyk", "ová", "ská", "sson", "dóttir", "dottir",
        "nen", "poulos", "opoulou", "idis", "akis", "yan", "shvili", "dze", "escu", "eanu", "oğlu", "oglu", "sen"};
    private static final String ROMAJI_ONSETS = "kgsztdnhbpmyrwjf";

    private PiiNameShape() {
    }

    /** @return whether the lower-case word ends like a family name and is long enough for that to mean something */
    static boolean family(String key) {
        if (key.length() < 5) {
            return false;
        }
        for (String ending : FAMILY_ENDINGS) {
            if (key.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the lower-case word is made of Japanese syllables (optional consonant, "sh"/"ch"/"ts"
     *         or a "y" glide, a vowel, an optional moraic "n"), four to ten letters
     */
    static boolean romaji(String key) {
        int n = key.length();
        if (n < 4 || n > 10) {
            return false;
        }
        int i = 0;
        while (i < n) {
            char c = key.charAt(i);
            if (i + 1 < n && c == key.charAt(i + 1) && "ktsp".indexOf(c) >= 0) {
                i++; // a doubled consonant, "Hattori"
            }
            if (key.startsWith("sh", i) || key.startsWith("ch", i) || key.startsWith("ts", i)) {
                i += 2;
            } else if (ROMAJI_ONSETS.indexOf(key.charAt(i)) >= 0) {
                i++;
                if (i < n && key.charAt(i) == 'y' && key.charAt(i - 1) != 'y') {
                    i++;
                }
            }
            if (i >= n || "aiueo".indexOf(key.charAt(i)) < 0) {
                return false;
            }
            i++;
            if (i < n && key.charAt(i) == 'n' && (i + 1 == n || "aiueoy".indexOf(key.charAt(i + 1)) < 0)) {
                i++;
            }
        }
        return true;
    }
}
