package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;

/**
 * Payment card numbers: 13 to 19 digits (in groups or not) that pass the Luhn check, or 12 such
 * digits right after a word like "card". Not part of a longer number or word.
 */
public final class CardDetector implements Detector {

    @Override
    public String name() {
        return "credit_card";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.CREDIT_CARD);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        DigitRuns.scan(s, " -", (start, end, digits) -> {
            if (digits < 12 || digits > 19 || Text.isAsciiLetter(charAt(s, start - 1)) || Text.isAsciiLetter(charAt(s, end))) {
                return;
            }
            if (!Text.luhn(s, start, end) || sameDigit(s, start, end)) {
                return;
            }
            if (digits >= 13 || Text.contextBefore(s, start, 40, "card", "karte", "visa", "mastercard", "amex", "maestro")) {
                out.add(new Finding(Category.CREDIT_CARD, name(), start, end, digits >= 13 ? 0.95 : 0.8));
            }
        });
    }

    private static char charAt(String s, int i) {
        return i >= 0 && i < s.length() ? s.charAt(i) : ' ';
    }

    private static boolean sameDigit(String s, int start, int end) {
        char first = s.charAt(start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (Text.isDigit(c) && c != first) {
                return false;
            }
        }
        return true;
    }
}
