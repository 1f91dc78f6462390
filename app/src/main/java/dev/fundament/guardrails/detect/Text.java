package dev.fundament.guardrails.detect;

import java.util.Locale;

/** Small character helpers shared by the pattern detectors; all allocation-free. */
final class Text {

    private Text() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }

    /** @return whether a word character (letter or digit, any script) is at {@code i} */
    static boolean wordAt(String s, int i) {
        return i >= 0 && i < s.length() && Character.isLetterOrDigit(s.charAt(i));
    }

    /**
     * @return whether one of the lower-case {@code words} occurs in the {@code before} characters
     *         preceding {@code at}
     */
    static boolean contextBefore(String s, int at, int before, String... words) {
        int from = Math.max(0, at - before);
        String window = s.substring(from, at).toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (window.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** Luhn checksum over the digits of {@code s} between {@code start} and {@code end}, skipping separators. */
    static boolean luhn(String s, int start, int end) {
        int sum = 0;
        boolean twice = false;
        int digits = 0;
        for (int i = end - 1; i >= start; i--) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
            digits++;
        }
        return digits > 0 && sum % 10 == 0;
    }

    /** Shannon entropy in bits per character. */
    static double entropy(CharSequence s) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double h = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * Math.log(p);
            }
        }
        if (other > 0) {
            double p = other / n;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }
}
