package dev.fundament.guardrails.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Given names and family names of many locales, read once from the name lists that ship with the
 * datafaker library ({@code <locale>.yml}, or {@code en/name.yml} for English; every key under
 * {@code faker.name} that holds first names or last names, whatever the locale calls it:
 * {@code man_last_name}, {@code last_name_base}, ...). Names in Cyrillic and Greek script are also
 * kept transliterated to Latin ({@code Ярослав} → {@code yaroslav}), as they are written in English
 * text. Lower-cased for lookup; entries of one letter and template entries ({@code #{...}}) are left
 * out.
 */
final class NameDictionary {

    private static final List<String> LOCALES = List.of("en/name", "en-AU", "en-CA", "en-GB", "en-IN", "en-NZ", "en-NG",
            "en-PAK", "en-PH", "en-SG", "en-UG", "en-ZA", "en-NEP", "en-MS", "de", "de-AT", "de-CH", "fr", "fr-CA", "fr-CH",
            "it", "es", "es-AR", "es-MX", "pt", "pt-BR", "nl", "sv", "da-DK", "nb-NO", "no-NO", "fi-FI", "pl", "cs", "cs-CZ",
            "sk", "hu", "ro-MD", "hr", "et", "lv", "tr", "id", "vi", "ca", "sq", "ru", "uk", "bg", "be", "mk", "el-GR");

    static final NameDictionary INSTANCE = new NameDictionary();

    private final Set<String> given = new HashSet<>();
    private final Set<String> family = new HashSet<>();
    /** Words of English country, state, capital and nationality names: "France", "Georgia", "Swedish". */
    private final Set<String> places = new HashSet<>();

    private NameDictionary() {
        for (String locale : LOCALES) {
            load(locale + ".yml", "name", key -> key.contains("first_name") || key.endsWith("english_name") ? given
                    : key.contains("last_name") ? family : null);
        }
        load("en/address.yml", "address", key -> key.equals("country") || key.equals("state") ? places : null);
        load("en/nation.yml", "nation", key -> key.equals("nationality") || key.equals("language") || key.equals("capital_city")
                ? places : null);
        for (String place : List.copyOf(places)) {
            if (place.endsWith("s")) {
                places.add(place.substring(0, place.length() - 1)); // "Swedes" -> "Swede"
            }
        }
    }

    private void load(String resource, String section, Function<String, Set<String>> into) {
        try (InputStream in = NameDictionary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                read(new String(in.readAllBytes(), StandardCharsets.UTF_8), section, into);
            }
        } catch (IOException e) {
            // a locale file that cannot be read leaves its names out
        }
    }

    /**
     * Reads the {@code faker.name} section of one locale file. Not a YAML parser (a full parse of these
     * files takes seconds when cold): the section sits at indent 4, its keys at indent 6, and a key's
     * value is a flow list ({@code [a, "b"]}, maybe over several lines) or a block list
     * ({@code - a}); both come apart at commas and dashes.
     */
    private void read(String yaml, String section, Function<String, Set<String>> sets) {
        String header = "    " + section + ":";
        int at = yaml.indexOf("\n" + header);
        if (at < 0) {
            return;
        }
        Set<String> into = null;
        for (String line : yaml.substring(at + 1).split("\n")) {
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") && !text.startsWith("#{")) {
                continue;
            }
            if (indent <= 4 && !line.startsWith(header)) {
                break;
            }
            if (indent == 6 && !text.startsWith("- ")) {
                int colon = text.indexOf(':');
                String key = colon < 0 ? "" : text.substring(0, colon);
                into = sets.apply(key);
                text = colon < 0 ? "" : text.substring(colon + 1);
            }
            if (into != null) {
                values(text.startsWith("- ") ? text.substring(2) : text, into);
            }
        }
    }

    private static void values(String text, Set<String> into) {
        for (String piece : text.split(",")) {
            String v = piece.strip();
            v = v.replace("[", "").replace("]", "").strip();
            if (v.length() > 1 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
                v = v.substring(1, v.length() - (v.charAt(v.length() - 1) == v.charAt(0) ? 1 : 0));
            }
            if (v.isEmpty() || v.contains("#{") || v.charAt(0) == '&' || v.charAt(0) == '*') {
                continue;
            }
            // multi-word entries ("van den Berg", "Du Cane") add their capitalised parts
            for (String part : v.split(" ")) {
                if (part.length() > 1 && !Character.isLowerCase(part.charAt(0))) {
                    String lower = part.toLowerCase(Locale.ROOT);
                    into.add(lower);
                    String latin = PiiTransliteration.toLatin(lower);
                    if (latin != null) {
                        into.add(latin);
                    }
                }
            }
        }
    }

    boolean given(String word) {
        return given.contains(word.toLowerCase(Locale.ROOT));
    }

    boolean family(String word) {
        return family.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Lookups by an already lower-cased key, to spare the hot path a copy. */
    boolean givenKey(String lower) {
        return given.contains(lower);
    }

    boolean familyKey(String lower) {
        return family.contains(lower);
    }

    /** @return whether the lower-cased word is part of a country, state, capital or nationality name */
    boolean placeKey(String lower) {
        return places.contains(lower);
    }

    int size() {
        return given.size() + family.size();
    }
}
