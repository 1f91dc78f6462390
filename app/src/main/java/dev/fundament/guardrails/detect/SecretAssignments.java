package dev.fundament.guardrails.detect;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values given to a credential-like name, in whatever syntax the text uses: {@code KEY=value},
 * {@code key: "value"}, {@code 'key' => 'value'}, {@code "key", "value"}, {@code setKey("value")},
 * {@code -Password value}, {@code password == "value"}, {@code <add key="Password" value="...">}, and
 * prose such as {@code the password for postgres is 'admin'}.
 *
 * <p>The scan is driven by {@link SecretNames#STEMS} found with {@code indexOf} on the lower-cased
 * text, so text without such a stem costs a few vectorised string searches. Around each stem the
 * name, separator and value are parsed by hand: no regex runs over the whole text, and every loop is
 * bounded, so there is no backtracking to worry about.
 */
final class SecretAssignments {

    private static final int MAX_NAME = 64;
    private static final int MAX_VALUE = 300;
    private static final int MAX_GAP = 24;
    /** {@code password for user 'postgres' is 'admin'}, {@code my password is Hunter2!}. */
    private static final Pattern PROSE = Pattern.compile(
            "[^\\n.!?;]{0,40}?\\b(?:is|was|are|=)\\s{1,3}(?:set to\\s{1,3})?(?:(['\"`])([^'\"`\\n]{3,64})\\1|([^\\s'\"`]{6,64}))");

    private SecretAssignments() {
    }

    static void find(String s, String lower, List<Finding> out, String detector) {
        int[] starts = new int[8];
        int count = 0;
        for (String stem : SecretNames.STEMS) {
            for (int i = lower.indexOf(stem); i >= 0; i = lower.indexOf(stem, i + stem.length())) {
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i;
            }
        }
        java.util.Arrays.sort(starts, 0, count);
        int done = -1;
        for (int k = 0; k < count; k++) {
            if (starts[k] >= done) {
                done = atName(s, lower, starts[k], out, detector);
            }
        }
    }

    /** Parses the name around the stem at {@code at} and what follows it; returns where the name ends. */
    private static int atName(String s, String lower, int at, List<Finding> out, String detector) {
        int start = at;
        while (start > 0 && at - start <= MAX_NAME && nameChar(s, start - 1)) {
            start--;
        }
        int end = at;
        while (end < s.length() && end - start <= MAX_NAME && nameChar(s, end)) {
            end++;
        }
        while (start < end && !Text.isAlnum(s.charAt(start))) {
            start++;
        }
        if (end - start > MAX_NAME || (start > 0 && "/+\\".indexOf(s.charAt(start - 1)) >= 0)) {
            return end;
        }
        SecretNames kind = SecretNames.of(s, start, end);
        if (kind == SecretNames.NONE) {
            return end;
        }
        boolean quotedName = start > 0 && isQuote(s.charAt(start - 1));
        Value v = Value.after(s, end, quotedName);
        if (v != null && SecretValues.credential(v.text(s), v, kind)) {
            out.add(new Finding(Category.SECRET, detector, v.start(), v.end(), kind == SecretNames.WEAK ? 0.7 : 0.8));
        } else if (kind != SecretNames.WEAK && proseAhead(lower, end)) {
            prose(s, end, out, detector);
        }
        // a value is not a name: stems inside it (password=password=...) need no second look
        return v == null || v.quoted() ? end : Math.max(end, v.end());
    }

    /** Whether {@code is}, {@code was}, {@code are} or {@code =} follows soon enough for {@link #PROSE} to match. */
    private static boolean proseAhead(String lower, int end) {
        int limit = Math.min(lower.length(), end + 48);
        for (int i = end; i < limit; i++) {
            char c = lower.charAt(i);
            if (c == '=' || (c == ' ' && i + 3 < lower.length() && (lower.startsWith("is ", i + 1)
                    || lower.startsWith("was ", i + 1) || lower.startsWith("are ", i + 1)))) {
                return true;
            }
        }
        return false;
    }

    private static void prose(String s, int end, List<Finding> out, String detector) {
        Matcher m = PROSE.matcher(s);
        m.region(end, Math.min(s.length(), end + 120));
        if (!m.lookingAt()) {
            return;
        }
        int group = m.group(2) != null ? 2 : 3;
        String value = m.group(group);
        if (SecretValues.proseValue(value, group == 2)) {
            out.add(new Finding(Category.SECRET, detector, m.start(group), m.end(group), 0.7));
        }
    }

    private static boolean nameChar(String s, int i) {
        char c = s.charAt(i);
        if (Text.isAlnum(c) || c == '_' || c == '-') {
            return true;
        }
        return c == '.' && i + 1 < s.length() && i > 0 && Text.isAlnum(s.charAt(i + 1)) && Text.isAlnum(s.charAt(i - 1));
    }

    static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }

    /**
     * A parsed value: where it is, whether it was a string literal, and whether only white space
     * separated it from the name (a command-line flag or prose, which needs stronger evidence).
     */
    record Value(int start, int end, boolean quoted, boolean spaceOnly) {

        String text(String s) {
            return s.substring(start, end);
        }

        static Value after(String s, int nameEnd, boolean quotedName) {
            int n = s.length();
            int i = nameEnd;
            boolean closed = false;
            if (i + 1 < n && s.charAt(i) == '\\' && isQuote(s.charAt(i + 1))) {
                i += 2;
                closed = true;
            } else if (i < n && isQuote(s.charAt(i))) {
                i++;
                closed = true;
            }
            // a name inside a string ("Password: ...") cannot take the next literal: its quote closes the name's string
            char inside = quotedName && !closed ? s.charAt(nameEnd - nameLength(s, nameEnd) - 1) : 0;
            if (i < n && s.charAt(i) == ']') {
                i++;
            }
            int gapStart = i;
            i = skipBlanks(s, i);
            boolean gap = i > gapStart;
            int op = operator(s, i, closed);
            boolean comma = op == 1 && s.charAt(i) == ',';
            boolean spaceOnly = false;
            if (op == 0) {
                if (!gap || closed || i >= n) {
                    return null;
                }
                spaceOnly = true;
            }
            i = skipBlanks(s, i + op);
            if (i + 1 < n && "@$rbuf".indexOf(s.charAt(i)) >= 0 && isQuote(s.charAt(i + 1))) {
                i++;
            }
            if (i < n && ((comma && !isQuote(s.charAt(i))) || (inside != 0 && s.charAt(i) == inside))) {
                return null;
            }
            return literal(s, i, spaceOnly);
        }

        private static int nameLength(String s, int end) {
            int i = end;
            while (i > 0 && (Text.isAlnum(s.charAt(i - 1)) || s.charAt(i - 1) == '_' || s.charAt(i - 1) == '-'
                    || s.charAt(i - 1) == '.')) {
                i--;
            }
            return end - i;
        }

        private static int operator(String s, int i, boolean closed) {
            for (String op : new String[] {"===", "!==", ":=", "=>", "==", "!=", "->", "=", ":"}) {
                if (s.startsWith(op, i)) {
                    return op.length();
                }
            }
            if (i < s.length() && s.charAt(i) == ',' && closed) {
                return 1;
            }
            if (i + 1 < s.length() && s.charAt(i) == '(' && isQuote(s.charAt(i + 1))) {
                return 1;
            }
            if (closed && s.regionMatches(true, i, "value=", 0, 6)) {
                return 6;
            }
            return 0;
        }

        private static Value literal(String s, int i, boolean spaceOnly) {
            int n = s.length();
            if (i >= n) {
                return null;
            }
            boolean escaped = s.charAt(i) == '\\' && i + 1 < n && isQuote(s.charAt(i + 1));
            char q = s.charAt(escaped ? i + 1 : i);
            if (isQuote(q)) {
                int from = escaped ? i + 2 : i + 1;
                for (int j = from; j < n && j - from <= MAX_VALUE && s.charAt(j) != '\n'; j++) {
                    if (s.charAt(j) == q && (escaped || s.charAt(j - 1) != '\\')) {
                        int to = escaped && s.charAt(j - 1) == '\\' ? j - 1 : j;
                        if (to - from >= 2 && isQuote(s.charAt(from)) && s.charAt(to - 1) == s.charAt(from)) {
                            return new Value(from + 1, to - 1, true, spaceOnly);
                        }
                        return new Value(from, to, true, spaceOnly);
                    }
                }
                i = from;
            }
            int j = i;
            while (j < n && j - i <= MAX_VALUE && !stop(s.charAt(j))) {
                j++;
            }
            while (j > i && (s.charAt(j - 1) == '.' || s.charAt(j - 1) == ':')) {
                j--;
            }
            return j > i ? new Value(i, j, false, spaceOnly) : null;
        }

        private static boolean stop(char c) {
            return c <= ' ' || isQuote(c) || c == ',' || c == ';' || c == ')' || c == ']' || c == '}' || c == '<' || c == '>'
                    || c == '&';
        }

        private static int skipBlanks(String s, int i) {
            int from = i;
            while (i < s.length() && i - from < MAX_GAP && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
