package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IPv4 addresses (four numbers up to 255) and IPv6 addresses (full or compressed hex groups). */
public final class IpAddressDetector implements Detector {

    /** A candidate: hex groups of up to four digits joined by at least two colons; {@link #ipv6} decides. */
    private static final Pattern V6 = Pattern.compile(
            "(?<![0-9A-Fa-f:.\\w])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:\\w])");

    @Override
    public String name() {
        return "ip_address";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.IP_ADDRESS);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        DigitRuns.scan(s, ".", (start, end, digits) -> {
            if (ipv4(s, start, end) && !(start > 0 && (s.charAt(start - 1) == '.' || Text.isAlnum(s.charAt(start - 1))))
                    && !(end < s.length() && (Text.isAlnum(s.charAt(end)) || (s.charAt(end) == '.' && end + 1 < s.length()
                    && Text.isDigit(s.charAt(end + 1)))))) {
                out.add(new Finding(Category.IP_ADDRESS, name(), start, end, 0.9));
            }
        });
        if (s.indexOf(':') >= 0) {
            Matcher m = V6.matcher(s);
            while (m.find()) {
                if (ipv6(m.group())) {
                    out.add(new Finding(Category.IP_ADDRESS, name(), m.start(), m.end(), 0.9));
                }
            }
        }
    }

    private static boolean ipv4(String s, int start, int end) {
        int parts = 0;
        int value = 0;
        int len = 0;
        for (int i = start; i <= end; i++) {
            if (i == end || s.charAt(i) == '.') {
                if (len == 0 || len > 3 || value > 255 || (len > 1 && s.charAt(i - len) == '0')) {
                    return false;
                }
                parts++;
                value = 0;
                len = 0;
            } else {
                value = value * 10 + (s.charAt(i) - '0');
                len++;
            }
        }
        return parts == 4;
    }

    /** A real IPv6 address: eight groups, or fewer with exactly one {@code ::}; at least two colons. */
    private static boolean ipv6(String candidate) {
        int compressed = candidate.indexOf("::");
        if (compressed != candidate.lastIndexOf("::")) {
            return false;
        }
        String[] groups = candidate.split(":", -1);
        int filled = 0;
        boolean letter = false;
        for (String g : groups) {
            if (!g.isEmpty()) {
                filled++;
                letter |= g.chars().anyMatch(Character::isLetter);
            }
        }
        if (compressed < 0) {
            return groups.length == 8 && filled == 8;
        }
        // "a::b" style: needs at least one hex letter or three groups, so times like 10::30 are not addresses
        return filled <= 7 && (letter || filled >= 3);
    }
}
