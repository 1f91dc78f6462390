package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates of birth: a date (ISO, European or US numeric, or with a month name in English or German)
 * shortly after words such as "born", "date of birth", "DOB", "geboren" or "Geburtsdatum". Other
 * dates are not personal data by themselves and are left alone.
 */
public final class DateOfBirthDetector implements Detector {

    private static final String MONTHS = "jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|aerz)|apr(?:il)?|ma[iy]|"
            + "jun[ei]?|jul[iy]?|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?";
    private static final Pattern DATE = Pattern.compile("(?i)(?<![\\w.])(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}"
            + "|\\d{1,2}\\.? (?:" + MONTHS + ")\\.? \\d{4}|(?:" + MONTHS + ")\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4})(?![\\w])");
    private static final String[] CONTEXT = {"born", "birth", "dob", "d.o.b", "birthday", "geboren", "geburtsdatum",
        "geburtstag", "geb.", "né le", "née le", "date de naissance", "nacido"};

    @Override
    public String name() {
        return "date_of_birth";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.DATE_OF_BIRTH);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        for (String word : CONTEXT) {
            for (int at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
                int from = at + word.length();
                Matcher m = DATE.matcher(s).region(from, Math.min(s.length(), from + 40));
                m.useTransparentBounds(true);
                if (m.find() && starts.add(m.start())) {
                    out.add(new Finding(Category.DATE_OF_BIRTH, name(), m.start(), m.end(), 0.85));
                }
            }
        }
    }
}
