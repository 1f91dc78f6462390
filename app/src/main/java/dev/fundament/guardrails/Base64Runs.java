package dev.fundament.guardrails;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Runs of base64 in a text, decoded. Encoding a value is the simplest way to carry it past a pattern
 * ({@code QUtJQUlPU0ZPRE5ON0VYQU1QTEU=} is an AWS key id), so a run of at least {@value #MIN_RUN}
 * characters of the base64 alphabet (standard or URL-safe, padding optional) that decodes to text
 * (valid UTF-8, almost all of it printable) is scanned again as that text; what is found there
 * stands for the whole run.
 *
 * <p>Runs that decode to bytes are binary payloads (images, audio, files in data URLs). The longer
 * ones ({@value #BLOB} characters or more) are not read by the detectors at all: no pattern is
 * meaningful in them, and reading megabytes of image data on every request would cost more than
 * all the rest of the input stage. Whether a run is text is judged on its first
 * {@value #SAMPLE} characters, so a binary run is never decoded whole.
 */
final class Base64Runs {

    static final int MIN_RUN = 16;
    static final int BLOB = 1024;
    private static final int SAMPLE = 4096;

    /**
     * One run.
     *
     * @param decoded the text it decodes to, or {@code null} when it is binary
     */
    record Run(int start, int end, String decoded) {
        boolean blob() {
            return decoded == null && end - start >= BLOB;
        }
    }

    private Base64Runs() {
    }

    /** @return the runs of {@code s} that decode to text or are binary blobs, in order */
    static List<Run> find(String s) {
        List<Run> runs = null;
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!alphabet(s.charAt(i)) || (i > 0 && alphabet(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && alphabet(s.charAt(end))) {
                end++;
            }
            int body = end;
            while (end < n && end - body < 2 && s.charAt(end) == '=') {
                end++;
            }
            if (body - i >= MIN_RUN && (end == n || !alphabet(s.charAt(end)))) {
                Run run = run(s, i, body, end);
                if (run != null) {
                    if (runs == null) {
                        runs = new ArrayList<>(2);
                    }
                    runs.add(run);
                }
            }
            i = end + 1;
        }
        return runs == null ? List.of() : runs;
    }

    private static Run run(String s, int start, int body, int end) {
        boolean standard = false;
        boolean urlSafe = false;
        boolean lower = false;
        boolean upperOrDigit = false;
        for (int k = start; k < body; k++) {
            char c = s.charAt(k);
            standard |= c == '+' || c == '/';
            urlSafe |= c == '-' || c == '_';
            lower |= c >= 'a' && c <= 'z';
            upperOrDigit |= c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
        }
        if (standard && urlSafe || !lower || !upperOrDigit) {
            return null; // not one alphabet, or one letter case only: words, hex, constants
        }
        boolean sampled = body - start > SAMPLE;
        int stop = sampled ? start + SAMPLE : body;
        int usable = (stop - start) - (stop - start) % 4;
        if (!sampled && (stop - start) % 4 == 1) {
            return null;
        }
        String encoded = s.substring(start, sampled ? start + usable : stop);
        byte[] bytes;
        try {
            bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = text(bytes, sampled);
        if (text == null) {
            return body - start >= BLOB ? new Run(start, end, null) : null;
        }
        if (sampled) {
            try {
                String whole = s.substring(start, body);
                whole = whole.substring(0, whole.length() - (whole.length() % 4 == 1 ? 1 : 0));
                text = text((urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(whole), true);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (text == null) {
                return new Run(start, end, null);
            }
        }
        return text.length() >= 6 ? new Run(start, end, text) : null;
    }

    /** @return the bytes as text when they are UTF-8 and at least 95 % printable, else {@code null} */
    private static String text(byte[] bytes, boolean cut) {
        int length = bytes.length;
        if (cut) {
            // A sample may end inside a character: leave out an incomplete last sequence.
            int lead = length - 1;
            while (lead > 0 && length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
                lead--;
            }
            int b = bytes[lead] & 0xFF;
            int size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (lead + size > length) {
                length = lead;
            }
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
        } catch (CharacterCodingException e) {
            return null;
        }
        int printable = 0;
        for (int k = 0; k < chars.length(); k++) {
            char c = chars.charAt(k);
            if (!Character.isISOControl(c) || c == '\n' || c == '\r' || c == '\t') {
                printable++;
            }
        }
        return chars.length() > 0 && printable * 20 >= chars.length() * 19 ? chars.toString() : null;
    }

    private static boolean alphabet(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_';
    }
}
