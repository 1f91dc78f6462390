package dev.fundament.guardrails;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * A text as the detectors see it, with the way back to the original. Look-alike and invisible
 * characters are the cheapest way past a pattern: {@code maria＠example.com} (full-width at sign),
 * {@code AKIA\u200BIOSFODNN7EXAMPLE} (a zero-width space inside a key), {@code Globex  Corporation}
 * (two spaces). So detection runs on a normal form: compatibility characters folded (NFKC), format
 * characters removed (zero-width spaces and joiners, bidi controls, the soft hyphen, Unicode tags
 * mapped to the ASCII they smuggle), and every run of white space reduced to one character (a line
 * break when the run has one, a space otherwise).
 *
 * <p>Each character of the normal form knows the span of original characters it came from, so a
 * finding is acted on in the original: redaction replaces exactly the characters the caller sent,
 * invisible ones included. Plain ASCII with single spaces and line breaks, which is most text, is its
 * own normal form and costs one pass without allocation.
 */
final class Normalised {

    private final String raw;
    private final String text;
    /** For each character of {@link #text}, the first original character it came from; {@code null} when the same. */
    private final int[] from;
    /** For each character of {@link #text}, one past the last original character it came from. */
    private final int[] to;

    private Normalised(String raw, String text, int[] from, int[] to) {
        this.raw = raw;
        this.text = text;
        this.from = from;
        this.to = to;
    }

    static Normalised of(String raw) {
        if (plain(raw)) {
            return new Normalised(raw, raw, null, null);
        }
        Builder out = new Builder(raw.length());
        int n = raw.length();
        int i = 0;
        while (i < n) {
            int cp = raw.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (invisible(cp)) {
                i = next;
            } else if (cp >= 0xE0020 && cp <= 0xE007E) {
                // Unicode tag characters carry invisible ASCII ("ASCII smuggling"): read them as that ASCII.
                out.put((char) (cp - 0xE0000), i, next);
                i = next;
            } else if (space(cp)) {
                boolean lineBreak = false;
                int end = i;
                while (end < n) {
                    int c = raw.codePointAt(end);
                    if (space(c)) {
                        lineBreak |= c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
                    } else if (!invisible(c)) {
                        break;
                    }
                    end += Character.charCount(c);
                }
                out.put(lineBreak ? '\n' : ' ', i, end);
                i = end;
            } else if (cp < 0x80) {
                out.put((char) cp, i, next);
                i = next;
            } else {
                // A non-ASCII character with the combining marks that follow it, folded as one.
                int end = next;
                while (end < n && combining(raw.codePointAt(end))) {
                    end += Character.charCount(raw.codePointAt(end));
                }
                String folded = Normalizer.normalize(raw.substring(i, end), Normalizer.Form.NFKC);
                for (int k = 0; k < folded.length(); k++) {
                    char c = folded.charAt(k);
                    if (!invisible(c)) {
                        out.put(space(c) ? ' ' : c, i, end);
                    }
                }
                i = end;
            }
        }
        return new Normalised(raw, out.text.toString(), out.from, out.to);
    }

    /** The normal form being written, with each character's original span. */
    private static final class Builder {
        final StringBuilder text;
        int[] from;
        int[] to;

        Builder(int capacity) {
            text = new StringBuilder(capacity);
            from = new int[capacity + 8];
            to = new int[capacity + 8];
        }

        void put(char c, int start, int end) {
            int at = text.length();
            if (at == from.length) {
                from = Arrays.copyOf(from, at * 2);
                to = Arrays.copyOf(to, at * 2);
            }
            from[at] = start;
            to[at] = end;
            text.append(c);
        }
    }

    /** @return the normal form, what detectors read */
    String text() {
        return text;
    }

    /** @return whether the normal form is the original text */
    boolean same() {
        return from == null;
    }

    /** @return the original offset where the normal form's character {@code start} begins */
    int rawStart(int start) {
        if (from == null) {
            return start;
        }
        return start >= text.length() ? raw.length() : from[start];
    }

    /** @return the original offset just past the normal form's characters before {@code end} */
    int rawEnd(int end) {
        if (from == null) {
            return end;
        }
        return end <= 0 ? 0 : to[end - 1];
    }

    /** @return whether the text is its own normal form: ASCII, no control characters but line breaks, no doubled white space */
    private static boolean plain(String s) {
        char previous = 'x';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x7F || (c < 0x20 && c != '\n')) {
                return false;
            }
            if ((c == ' ' || c == '\n') && (previous == ' ' || previous == '\n')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Format characters (Unicode category Cf): zero-width spaces and joiners, bidi controls, soft hyphen, BOM. */
    static boolean invisible(int cp) {
        return cp >= 0x80 && Character.getType(cp) == Character.FORMAT && !(cp >= 0xE0020 && cp <= 0xE007E)
                || cp == 0x180E;
    }

    private static boolean space(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean combining(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
