package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * National identifiers: US social security numbers (dashed, with the SSA's never-issued ranges
 * excluded), German tax ids (Steuer-ID, eleven digits with their ISO 7064 check digit), UK national
 * insurance numbers, and any number named as an identity document right before it (driver's
 * licence, passport, ID card, Personalausweis, Sozialversicherungsnummer, ...).
 */
public final class NationalIdDetector implements Detector {

    private static final Pattern SSN = Pattern.compile("(?<![\\w-])(\\d{3})-(\\d{2})-(\\d{4})(?![\\w-])");
    private static final Pattern NINO = Pattern.compile("(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![A-Za-z0-9])");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)(driver'?s? licen[cs]e|licen[cs]e (?:no|number|#)|passport|id card|identity card|national id|id number|"
                    + "personalausweis|ausweisnummer|reisepass|sozialversicherungsnummer|steuer-?id|steueridentifikationsnummer|"
                    + "tax id|ahv|svnr|social security)[^\\n\\w]{0,3}(?:(?:no|number|nr|#|is|:)[^\\n\\w]{0,3}){0,3}"
                    + "([A-Z0-9][A-Z0-9-]{4,18}[0-9])");
    private static final String[] DOCUMENT_STEMS = {"licen", "passport", "id card", "id number", "national id", "identity",
        "ausweis", "reisepass", "sozialversicherung", "steuer", "tax id", "ahv", "svnr", "social security"};
    private static final Pattern DIGITS11 = Pattern.compile("(?<![\\d-])\\d{2} ?\\d{3} ?\\d{3} ?\\d{3}(?![\\d-])");

    @Override
    public String name() {
        return "national_id";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.NATIONAL_ID);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        // One pass over digit runs finds the candidates for both number formats; regexes only check them.
        DigitRuns.scan(s, " -", (start, end, digits) -> {
            if (start > 0 && (Text.isAlnum(s.charAt(start - 1)) || s.charAt(start - 1) == '-')
                    || end < s.length() && (Text.isAlnum(s.charAt(end)) || s.charAt(end) == '-')) {
                return;
            }
            String run = s.substring(start, end);
            if (digits == 9 && run.length() == 11 && run.charAt(3) == '-' && run.charAt(6) == '-') {
                Matcher m = SSN.matcher(run);
                if (m.matches()) {
                    int area = Integer.parseInt(m.group(1));
                    if (area != 0 && area != 666 && area < 900 && !m.group(2).equals("00") && !m.group(3).equals("0000")) {
                        out.add(new Finding(Category.NATIONAL_ID, name(), start, end, 0.9));
                    }
                }
            } else if (digits == 11 && DIGITS11.matcher(run).matches() && germanTaxId(run.replace(" ", ""))) {
                out.add(new Finding(Category.NATIONAL_ID, name(), start, end, 0.85));
            }
        });
        for (int i = 0; i + 8 < s.length(); i++) {
            char a = s.charAt(i);
            char b = s.charAt(i + 1);
            if (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && (Text.isDigit(s.charAt(i + 2))
                    || s.charAt(i + 2) == ' ' && Text.isDigit(s.charAt(i + 3)))) {
                Matcher nino = NINO.matcher(s).region(Math.max(0, i - 1), Math.min(s.length(), i + 14));
                nino.useTransparentBounds(true);
                if (nino.find() && nino.start() == i) {
                    out.add(new Finding(Category.NATIONAL_ID, name(), nino.start(), nino.end(), 0.9));
                    i = nino.end() - 1;
                }
            }
        }
        if (!mentionsDocument(s)) {
            return;
        }
        Matcher named = NAMED.matcher(s);
        while (named.find()) {
            out.add(new Finding(Category.NATIONAL_ID, name(), named.start(2), named.end(2), 0.8));
        }
    }

    /**
     * Cheap pre-check for {@link #NAMED}, whose case-insensitive alternation is tried at every position:
     * whether one of the stems its document names start with occurs at all.
     */
    private static boolean mentionsDocument(String s) {
        for (String stem : DOCUMENT_STEMS) {
            for (int at = s.indexOf(stem.charAt(0)); at >= 0; at = s.indexOf(stem.charAt(0), at + 1)) {
                if (s.regionMatches(true, at, stem, 0, stem.length())) {
                    return true;
                }
            }
            char upper = Character.toUpperCase(stem.charAt(0));
            for (int at = s.indexOf(upper); at >= 0; at = s.indexOf(upper, at + 1)) {
                if (s.regionMatches(true, at, stem, 0, stem.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The Steuer-ID: no leading zero, in the first ten digits one digit twice or three times and
     * the rest once at most, and a check digit by ISO 7064 MOD 11,10.
     */
    static boolean germanTaxId(String id) {
        if (id.length() != 11 || id.charAt(0) == '0') {
            return false;
        }
        int[] counts = new int[10];
        for (int i = 0; i < 10; i++) {
            counts[id.charAt(i) - '0']++;
        }
        int repeated = 0;
        for (int c : counts) {
            if (c > 3) {
                return false;
            }
            if (c >= 2) {
                repeated++;
            }
        }
        if (repeated != 1) {
            return false;
        }
        int product = 10;
        for (int i = 0; i < 10; i++) {
            int sum = (id.charAt(i) - '0' + product) % 10;
            if (sum == 0) {
                sum = 10;
            }
            product = (sum * 2) % 11;
        }
        int check = 11 - product;
        if (check == 10) {
            check = 0;
        }
        return check == id.charAt(10) - '0';
    }
}
