package dev.fundament.guardrails.detect;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Set;

/**
 * Telephone numbers. A candidate is 7 to 15 digits in groups separated by spaces, dashes, dots,
 * slashes or parentheses, optionally led by {@code +}. It is a phone number when libphonenumber
 * says it is a valid number: international with {@code +} or {@code 00}, or national in one of the
 * configured regions (Germany, Austria, Switzerland, the USA and other EU countries by default), or
 * when it is written like one right after a word such as "phone", "call" or "Telefon", or right before
 * a label such as "-Office" or "(mobile)". Not a phone number: the 3-2-4 dashed shape of a US social
 * security number, and two digit groups before a capitalised word (a house number and a postcode or
 * street number in an address), unless a telephone word stands close before.
 */
public final class PhoneDetector implements Detector {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String SEPARATORS = " -./()";
    private static final String[] CONTEXT = {"phone", "call", "tel", "mobile", "cell", "fax", "number", "reach", "contact",
        "messages to", "answering at", "whatsapp", "sms", "text me", "dial", "hotline", "telefon", "handy", "rufnummer",
        "anruf", "erreichbar", "ruf ", "nummer", "téléphone", "portable"};

    /** Words that name a telephone itself, not just "a number". */
    private static final String[] STRONG_CONTEXT = {"phone", "call", "tel", "mobile", "cell", "fax", "whatsapp", "sms", "text me",
        "dial", "hotline", "reach", "ring", "telefon", "handy", "rufnummer", "anruf", "erreichbar", "büro", "téléphone",
        "portable"};
    /** Labels written right after a number ("082 490 1693-Office", "0171 1234567 (mobile)"). */
    private static final String[] LABEL_AFTER = {"office", "fax", "mobile", "cell", "home", "work", "tel", "phone", "direct",
        "landline", "privat", "büro", "mobil"};

    private final List<String> regions;

    public PhoneDetector(List<String> regions) {
        this.regions = List.copyOf(regions);
    }

    public PhoneDetector() {
        this(List.of("DE", "AT", "CH", "US", "GB", "FR", "IT", "ES", "NL", "BE", "PL", "SE", "DK", "FI", "NO", "PT", "IE"));
    }

    @Override
    public String name() {
        return "phone";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.PHONE);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            boolean lead = (c == '+' || c == '(') && i + 1 < n && Text.isDigit(s.charAt(i + 1));
            if (!Text.isDigit(c) && !lead) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int groups = 1;
            int end = i;
            int j = lead ? i + 1 : i;
            while (j < n) {
                char d = s.charAt(j);
                if (Text.isDigit(d)) {
                    digits++;
                    j++;
                    end = j;
                    continue;
                }
                int k = j;
                while (k < n && k - j < 2 && SEPARATORS.indexOf(s.charAt(k)) >= 0) {
                    k++;
                }
                if (k > j && k < n && Text.isDigit(s.charAt(k))) {
                    groups++;
                    j = k;
                } else {
                    break;
                }
            }
            if (end < n && s.charAt(end) == ')') {
                end++;
            }
            i = Math.max(j, start + 1);
            if (digits < 7 || digits > 15 || Text.isAsciiLetter(before(s, start)) || Text.isAsciiLetter(after(s, end))
                    || before(s, start) == '.' || looksLikeDateOrNumber(s, start, end, digits, groups)) {
                continue;
            }
            if (idShaped(s, start, end) && !Text.contextBefore(s, start, 40, STRONG_CONTEXT)
                    || houseNumber(s, start, end, groups) && !Text.contextBefore(s, start, 25, STRONG_CONTEXT)) {
                continue;
            }
            double score = score(s, start, end, groups);
            if (score > 0) {
                out.add(new Finding(Category.PHONE, name(), start, end, score));
            }
        }
    }

    private double score(String s, int start, int end, int groups) {
        String candidate = s.substring(start, end);
        boolean international = candidate.startsWith("+") || candidate.startsWith("00");
        if (international) {
            try {
                Phonenumber.PhoneNumber number = PHONES.parse(candidate.startsWith("00") ? "+" + candidate.substring(2) : candidate, "ZZ");
                if (PHONES.isValidNumber(number)) {
                    return 0.95;
                }
                if (PHONES.isPossibleNumber(number)) {
                    return 0.8;
                }
            } catch (NumberParseException e) {
                return 0;
            }
        }
        boolean context = Text.contextBefore(s, start, 40, CONTEXT);
        if (context) {
            return 0.75; // written like a number right after a phone word: no need to ask every region
        }
        if (groups > 1 || candidate.startsWith("0")) {
            for (String region : regions) {
                try {
                    if (PHONES.isValidNumber(PHONES.parse(candidate, region))) {
                        return groups > 1 ? 0.85 : 0.6;
                    }
                } catch (NumberParseException e) {
                    // not a number of this region
                }
            }
        }
        return labelAfter(s, end) ? 0.75 : 0;
    }

    /** The dashed 3-2-4 shape of a US social security number ("853-37-1694") is left to the id detector. */
    private static boolean idShaped(String s, int start, int end) {
        return end - start == 11 && s.charAt(start + 3) == '-' && s.charAt(start + 6) == '-';
    }

    /**
     * Two digit groups right before a capitalised word are a house number and a street number or
     * postcode ("17151 2450 Crown St", "Apt. 675 62314 Mellemvej"), not a telephone.
     */
    private static boolean houseNumber(String s, int start, int end, int groups) {
        char first = s.charAt(start);
        // a trunk prefix with a short area code ("030 1234567 Berlin", "0171 ...") is a national number
        boolean trunk = first == '0' && (!Text.isDigit(s.charAt(start + 3)) || start + 4 < end && !Text.isDigit(s.charAt(start + 4)));
        return groups == 2 && first != '+' && first != '(' && !trunk && end + 1 < s.length() && s.charAt(end) == ' '
                && Character.isUpperCase(s.charAt(end + 1));
    }

    private static boolean labelAfter(String s, int end) {
        int k = end;
        while (k < s.length() && k - end < 3 && " -(/:".indexOf(s.charAt(k)) >= 0) {
            k++;
        }
        if (k == end) {
            return false;
        }
        for (String label : LABEL_AFTER) {
            if (s.regionMatches(true, k, label, 0, label.length())) {
                return true;
            }
        }
        return false;
    }

    /** ISO dates, dotted dates and plain numbers with thousands separators are not phone numbers. */
    private static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");
    private static final java.util.regex.Pattern DOTTED_DATE = java.util.regex.Pattern.compile("\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}");
    private static final java.util.regex.Pattern THOUSANDS = java.util.regex.Pattern.compile("\\d{1,3}([.,]\\d{3})+");
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private static boolean looksLikeDateOrNumber(String s, int start, int end, int digits, int groups) {
        if (groups == 1 && digits > 12) {
            return true;
        }
        String c = s.substring(start, end);
        return ISO_DATE.matcher(c).matches() || DOTTED_DATE.matcher(c).matches() || THOUSANDS.matcher(c).matches()
                || IPV4.matcher(c).matches();
    }

    private static char before(String s, int i) {
        return i > 0 ? s.charAt(i - 1) : ' ';
    }

    private static char after(String s, int i) {
        return i < s.length() ? s.charAt(i) : ' ';
    }
}
