package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postal addresses: a house number with a street name in the English style ("14 Crown Street"), the
 * continental style ("Hauptstraße 5", "Via Franscini 71", "Puruntie 82"), apartment and suite
 * numbers, and a postal code with town right after a street.
 */
public final class AddressDetector implements Detector {

    private static final String NAME = "[A-ZÀ-Ý][\\p{L}'.-]*";
    private static final Pattern ENGLISH = Pattern.compile("(?<![\\w-])\\d{1,5}[A-Za-z]?,? (?:" + NAME + " ){0,3}" + NAME
            + "? ?(?:Street|St\\.|Avenue|Ave\\.?|Road|Rd\\.?|Lane|Ln\\.?|Boulevard|Blvd\\.?|Drive|Dr\\.|Way|Court|Ct\\.?|Place|"
            + "Pl\\.|Square|Squares|Terrace|Parkway|Pkwy|Highway|Hwy|Crescent|Close|Gardens|Row|Mews|Circle|Trail|Hill)\\b");
    private static final Pattern CONTINENTAL = Pattern.compile("(?<![\\w-])(?:(?:Via|Viale|Rue|Avenue|Avenida|Calle|Rua|Piazza|Plaza|"
            + "Ulica|ul\\.|Carrer|Strada|Boulevard|Chemin|Route|Am|An der|Auf der|Im|In der|Zum|Zur) (?:" + NAME + " ?){1,3}|"
            // the whole word first (possessive, no backtracking), then its ending checked looking back
            + "[A-ZÄÖÜ][\\p{L}-]*+(?:(?<=straße|strasse|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|markt|"
            + "katu|kuja|tie|polku|vej|veien|vegen|gata|gatan|vägen|gade|straat|laan|plein|utca|út|ulica|iela|tänav|gatve)|"
            + "(?<=str)\\.)) "
            + "\\d{1,5}(?: ?[a-zA-Z])?\\b");
    private static final Pattern UNIT = Pattern.compile("\\b(?:Apt\\.?|Apartment|Suite|Unit|Flat|Wohnung|Whg\\.) ?#?\\d{1,5}[A-Za-z]?\\b");
    private static final Pattern POSTAL_TOWN = Pattern.compile("[,\\n ]{1,3}(?:[A-Z]{1,2}-?)?\\d{4,5} [A-ZÄÖÜ][\\p{L}-]+(?: [A-ZÄÖÜ][\\p{L}-]+)?");

    @Override
    public String name() {
        return "address";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.ADDRESS);
    }

    /** Words that make a street address likely nearby; the patterns run only around them. */
    private static final java.util.Set<String> CUES = java.util.Set.of("street", "st", "avenue", "ave", "road", "rd", "lane",
            "ln", "boulevard", "blvd", "drive", "dr", "way", "court", "ct", "place", "pl", "square", "squares", "terrace",
            "parkway", "pkwy", "highway", "hwy", "crescent", "close", "gardens", "row", "mews", "circle", "trail", "hill",
            "via", "viale", "rue", "avenida", "calle", "rua", "piazza", "plaza", "ulica", "ul", "carrer", "strada", "chemin",
            "route", "apt", "apartment", "suite", "unit", "flat", "wohnung", "whg");
    /** German street prefixes, cues only when capitalised ("Am Markt 3", not "am"). */
    private static final java.util.Set<String> CAPITALISED_CUES = java.util.Set.of("Am", "An", "Auf", "Im", "In", "Zum", "Zur");
    private static final String[] SUFFIXES = {"straße", "strasse", "str", "weg", "gasse", "allee", "platz", "ring", "damm",
        "ufer", "chaussee", "steig", "pfad", "markt", "katu", "kuja", "tie", "polku", "vej", "veien", "vegen", "gata", "gatan",
        "vägen", "gade", "straat", "laan", "plein", "utca", "út", "ulica", "iela", "tänav", "gatve"};
    private static final int BEFORE = 90;
    private static final int AFTER = 40;

    @Override
    public void detect(String s, List<Finding> out) {
        // One cheap pass over the words finds the cues; the patterns then run on the stretches around
        // them only, so ordinary text costs a word scan, not a regex attempt at every position.
        int n = s.length();
        int windowStart = -1;
        int windowEnd = -1;
        int i = 0;
        while (i < n) {
            if (!Character.isLetter(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && Character.isLetter(s.charAt(i))) {
                i++;
            }
            if (cue(s, start, i)) {
                int from = Math.max(0, start - BEFORE);
                int to = Math.min(n, i + AFTER);
                if (windowEnd >= from) {
                    windowEnd = Math.max(windowEnd, to);
                } else {
                    if (windowStart >= 0) {
                        window(s, windowStart, windowEnd, out);
                    }
                    windowStart = from;
                    windowEnd = to;
                }
            }
        }
        if (windowStart >= 0) {
            window(s, windowStart, windowEnd, out);
        }
    }

    private static boolean cue(String s, int start, int end) {
        int len = end - start;
        if (len <= 3 && CAPITALISED_CUES.contains(s.substring(start, end))) {
            return true;
        }
        if (len <= 9 && CUES.contains(s.substring(start, end).toLowerCase(java.util.Locale.ROOT))) {
            return true;
        }
        if (len < 5 || !Character.isUpperCase(s.charAt(start))) {
            return false;
        }
        for (String suffix : SUFFIXES) {
            if (s.regionMatches(true, end - suffix.length(), suffix, 0, suffix.length())) {
                return true;
            }
        }
        return false;
    }

    private void window(String s, int from, int to, List<Finding> out) {
        streets(s, from, to, ENGLISH, out);
        streets(s, from, to, CONTINENTAL, out);
        Matcher unit = UNIT.matcher(s).region(from, to).useTransparentBounds(true);
        while (unit.find()) {
            out.add(new Finding(Category.ADDRESS, name(), unit.start(), unit.end(), 0.7));
        }
    }

    private void streets(String s, int from, int to, Pattern pattern, List<Finding> out) {
        Matcher m = pattern.matcher(s).region(from, to).useTransparentBounds(true);
        while (m.find()) {
            int end = m.end();
            Matcher town = POSTAL_TOWN.matcher(s).region(end, s.length());
            if (town.lookingAt()) {
                end = town.end();
            }
            out.add(new Finding(Category.ADDRESS, name(), m.start(), end, 0.75));
        }
    }
}
