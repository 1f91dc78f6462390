package dev.fundament.guardrails.detect;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The features of the prompt-injection model, shared by training and inference so both see exactly
 * the same thing. The text is NFKC-normalised and lower-cased; its words (runs of letters and digits)
 * are joined by single spaces with a space at each end. That string is read in windows
 * ({@link #windows}), and each window is one vector: every character 3-, 4- and 5-gram in it is a
 * feature, weighted {@code 1 + ln(count)}, hashed with 32-bit FNV-1a over the UTF-8 bytes of
 * {@code "c:" + gram} into {@code 2^bits} slots with the hash's top bit as sign, and the vector is
 * scaled to unit length. Character n-grams carry German, misspellings and word fragments; word
 * features did worse.
 *
 * <p>Why windows: with unit-length vectors a text's logit is its n-grams' mean weight times about the
 * square root of their number, so a long text drifts towards whichever class its common n-grams lean
 * to, and every long text in the training sets is a jailbreak. Judging a text by its worst window of at
 * most {@value #WINDOW} characters bounds that drift, and a short injected passage fills a good part
 * of its window instead of being diluted by the pages around it.
 */
public final class InjectionFeatures {

    /** A sparse vector: distinct slots and their values. */
    public record Vector(int[] slots, float[] values) {
    }

    /** The longest window, in characters of the joined text; a text up to this long is one window. */
    static final int WINDOW = 512;
    /** A new window starts every this many characters, so any passage of 384 fits whole in one. */
    static final int STRIDE = WINDOW / 4;

    private final int bits;

    public InjectionFeatures(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    /** @return one vector per window of the text, in order */
    public List<Vector> vectors(String text) {
        int[] cps = joined(text);
        int[] bounds = windows(cps);
        List<Vector> out = new ArrayList<>(bounds.length / 2);
        for (int w = 0; w < bounds.length; w += 2) {
            out.add(vector(cps, bounds[w], bounds[w + 1]));
        }
        return out;
    }

    /** @return the vector of the n-grams that lie wholly in {@code cps[from, to)} */
    Vector vector(int[] cps, int from, int to) {
        Map<Integer, Integer> tf = new HashMap<>((to - from) * 3);
        for (int size = 3; size <= 5; size++) {
            for (int k = from; k + size <= to; k++) {
                tf.merge(hash(cps, k, size), 1, Integer::sum);
            }
        }
        int mask = (1 << bits) - 1;
        Map<Integer, Double> counts = new HashMap<>(tf.size() * 2);
        // The norm is taken over the distinct n-grams, before collisions are summed.
        double distinctNorm = 0;
        for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
            int h = e.getKey();
            double value = logTf(e.getValue());
            distinctNorm += value * value;
            counts.merge(h & mask, value * (h < 0 ? -1 : 1), Double::sum);
        }
        int[] slots = new int[counts.size()];
        int i = 0;
        for (int slot : counts.keySet()) {
            slots[i++] = slot;
        }
        Arrays.sort(slots);
        double scale = distinctNorm == 0 ? 0 : 1 / Math.sqrt(distinctNorm);
        float[] values = new float[slots.length];
        for (int k = 0; k < slots.length; k++) {
            values[k] = (float) (counts.get(slots[k]) * scale);
        }
        return new Vector(slots, values);
    }

    /** The weight of an n-gram seen {@code count} times. */
    static double logTf(int count) {
        return count == 0 ? 0 : 1 + Math.log(count);
    }

    /**
     * The windows of a joined text, as {@code [from0, to0, from1, to1, ...]} with {@code to}
     * exclusive: runs of whole words (each starting and ending on a space) of at most {@value #WINDOW}
     * characters, the first at the start, each next one at the first word at least {@value #STRIDE}
     * characters after the previous start, the last one reaching the end. A word longer than a window
     * is a window of its own.
     */
    static int[] windows(int[] cps) {
        if (cps.length <= WINDOW) {
            return new int[] {0, cps.length};
        }
        int[] spaces = new int[cps.length];
        int count = 0;
        for (int i = 0; i < cps.length; i++) {
            if (cps[i] == ' ') {
                spaces[count++] = i;
            }
        }
        int[] bounds = new int[2 * (cps.length / STRIDE + 2)];
        int n = 0;
        int last = 0;
        int nextStart = 0;
        for (int first = 0; first < count - 1; first++) {
            int from = spaces[first];
            if (from < nextStart) {
                continue;
            }
            nextStart = from + STRIDE;
            last = Math.max(last, first + 1);
            while (last + 1 < count && spaces[last + 1] - from < WINDOW) {
                last++;
            }
            if (n == bounds.length) {
                bounds = Arrays.copyOf(bounds, n * 2);
            }
            bounds[n++] = from;
            bounds[n++] = spaces[last] + 1;
            if (spaces[last] == cps.length - 1) {
                break;
            }
        }
        return Arrays.copyOf(bounds, n);
    }

    /** The normalised words of the text joined by spaces, with a space at each end, as code points. */
    static int[] joined(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int[] out = new int[t.length() + 2];
        int n = 0;
        out[n++] = ' ';
        boolean inWord = false;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                out[n++] = cp;
                inWord = true;
            } else if (inWord) {
                out[n++] = ' ';
                inWord = false;
            }
        }
        if (out[n - 1] != ' ') {
            out[n++] = ' ';
        }
        return Arrays.copyOf(out, n);
    }

    /** FNV-1a over the UTF-8 bytes of {@code "c:"} followed by the code points {@code cps[from, from+size)}. */
    static int hash(int[] cps, int from, int size) {
        int h = PREFIX;
        for (int k = from; k < from + size; k++) {
            h = step(h, cps[k]);
        }
        return h;
    }

    /** The FNV-1a state after {@code "c:"}, where every n-gram's hash starts. */
    static final int PREFIX = (((0x811c9dc5 ^ 'c') * 0x01000193) ^ ':') * 0x01000193;

    /** @return the FNV-1a state {@code h} continued with the UTF-8 bytes of one code point */
    static int step(int h, int cp) {
        if (cp < 0x80) {
            return (h ^ cp) * 0x01000193;
        }
        if (cp < 0x800) {
            h = (h ^ (0xc0 | cp >> 6)) * 0x01000193;
        } else {
            if (cp < 0x10000) {
                h = (h ^ (0xe0 | cp >> 12)) * 0x01000193;
            } else {
                h = (h ^ (0xf0 | cp >> 18)) * 0x01000193;
                h = (h ^ (0x80 | cp >> 12 & 0x3f)) * 0x01000193;
            }
            h = (h ^ (0x80 | cp >> 6 & 0x3f)) * 0x01000193;
        }
        return (h ^ (0x80 | cp & 0x3f)) * 0x01000193;
    }

    /** FNV-1a of a feature string, for tests against known values. */
    static int hash(String feature) {
        int h = 0x811c9dc5;
        for (byte b : feature.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return h;
    }
}
