package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;

/**
 * International bank account numbers: country code, two check digits and 11 to 30 letters or digits,
 * written in one piece or in groups of four, accepted only when the ISO 13616 mod-97 check holds.
 */
public final class IbanDetector implements Detector {

    @Override
    public String name() {
        return "iban";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.IBAN);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        int n = s.length();
        for (int i = 0; i + 15 <= n; i++) {
            if (!upper(s.charAt(i)) || !upper(s.charAt(i + 1)) || !Text.isDigit(s.charAt(i + 2)) || !Text.isDigit(s.charAt(i + 3))
                    || (i > 0 && Text.isAlnum(s.charAt(i - 1)))) {
                continue;
            }
            StringBuilder compact = new StringBuilder(34);
            int end = i;
            int j = i;
            int group = 0;
            while (j < n && compact.length() < 34) {
                char c = s.charAt(j);
                if (Text.isDigit(c) || upper(c)) {
                    compact.append(c);
                    group++;
                    j++;
                    end = j;
                } else if (c == ' ' && group == 4 && j + 1 < n && (Text.isDigit(s.charAt(j + 1)) || upper(s.charAt(j + 1)))) {
                    group = 0;
                    j++;
                } else {
                    break;
                }
            }
            // The longest prefix of the candidate that is a valid IBAN wins (trailing words can follow).
            for (int len = compact.length(); len >= 15; len--) {
                if (valid(compact, len)) {
                    int stop = position(s, i, len);
                    if (stop >= n || !Text.isAlnum(s.charAt(stop))) {
                        out.add(new Finding(Category.IBAN, name(), i, stop, 1.0));
                        i = stop - 1;
                    }
                    break;
                }
            }
        }
    }

    /** @return the index just after the {@code len}-th IBAN character counted from {@code start} */
    private static int position(String s, int start, int len) {
        int count = 0;
        int i = start;
        while (count < len) {
            if (s.charAt(i) != ' ') {
                count++;
            }
            i++;
        }
        return i;
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** ISO 7064 mod 97-10 over the rearranged IBAN. */
    static boolean valid(CharSequence iban, int len) {
        int remainder = 0;
        for (int k = 0; k < len; k++) {
            char c = iban.charAt((k + 4) % len);
            int value = Text.isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }
}
