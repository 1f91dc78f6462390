package dev.fundament.guardrails.detect;

/**
 * Romanises lower-case Cyrillic and Greek names the way English text usually spells them
 * ({@code ярослав} → {@code yaroslav}, {@code αθανασιάδης} → {@code athanasiadis}), so that the
 * name lists of those locales also recognise the Latin spelling. One common spelling only, not every
 * variant ({@code Yevgeny}/{@code Evgeniy}). Used once, while {@link NameDictionary} loads.
 */
final class PiiTransliteration {

    private static final String CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґўјљњћџ";
    private static final String[] CYRILLIC_LATIN = {"a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n",
        "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi", "g",
        "u", "j", "lj", "nj", "c", "dz"};
    private static final String GREEK = "αάβγδεέζηήθιίϊΐκλμνξοόπρσςτυύϋΰφχψωώ";
    private static final String[] GREEK_LATIN = {"a", "a", "v", "g", "d", "e", "e", "z", "i", "i", "th", "i", "i", "i", "i", "k",
        "l", "m", "n", "x", "o", "o", "p", "r", "s", "s", "t", "y", "y", "y", "y", "f", "ch", "ps", "o", "o"};

    private PiiTransliteration() {
    }

    /** @return the Latin spelling of a lower-case Cyrillic or Greek word, or null if it has other letters */
    static String toLatin(String lower) {
        StringBuilder sb = new StringBuilder(lower.length() + 4);
        boolean changed = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int k = CYRILLIC.indexOf(c);
            if (k >= 0) {
                sb.append(CYRILLIC_LATIN[k]);
                changed = true;
                continue;
            }
            k = GREEK.indexOf(c);
            if (k >= 0) {
                // Greek "ου" is written "ou" (Papadopoulou), the rest letter by letter
                boolean ou = (c == 'ο' || c == 'ό') && i + 1 < lower.length() && "υύ".indexOf(lower.charAt(i + 1)) >= 0;
                sb.append(ou ? "ou" : GREEK_LATIN[k]);
                i += ou ? 1 : 0;
                changed = true;
                continue;
            }
            if (c < 'a' || c > 'z') {
                return null;
            }
            sb.append(c);
        }
        return changed && sb.length() > 1 ? sb.toString() : null;
    }
}
