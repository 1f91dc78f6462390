package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;

/** E-mail addresses: a local part, {@code @}, and a domain with a dot and a top-level domain of letters. */
public final class EmailDetector implements Detector {

    @Override
    public String name() {
        return "email";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.EMAIL);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        int at = s.indexOf('@');
        while (at >= 0) {
            int start = at;
            while (start > 0 && local(s.charAt(start - 1))) {
                start--;
            }
            while (start < at && (s.charAt(start) == '.' || s.charAt(start) == '-')) {
                start++;
            }
            int end = at + 1;
            int lastDot = -1;
            while (end < s.length() && domain(s.charAt(end))) {
                if (s.charAt(end) == '.') {
                    lastDot = end;
                }
                end++;
            }
            while (end > at + 1 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '-')) {
                end--;
                if (lastDot == end) {
                    lastDot = s.lastIndexOf('.', end - 1);
                }
            }
            if (start < at && lastDot > at + 1 && end - lastDot - 1 >= 2 && letters(s, lastDot + 1, end)) {
                out.add(new Finding(Category.EMAIL, name(), start, end, 1.0));
            }
            at = s.indexOf('@', Math.max(at + 1, end));
        }
    }

    private static boolean local(char c) {
        return Text.isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
    }

    private static boolean domain(char c) {
        return Text.isAlnum(c) || c == '.' || c == '-';
    }

    private static boolean letters(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Text.isAsciiLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
