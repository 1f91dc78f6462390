package dev.fundament.guardrails.detect;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The features of the prompt-injection model, shared by training and inference so both see exactly
 * the same thing. The text is NFKC-normalised, lower-cased, and (when longer than 4,096 characters)
 * cut to its first 3,072 and last 1,024; its words (runs of letters and digits) are joined by single
 * spaces with a space at each end; every character 3-, 4- and 5-gram of that string is a feature,
 * weighted {@code 1 + ln(count)}, hashed with 32-bit FNV-1a over the UTF-8 bytes of {@code "c:" + gram}
 * into {@code 2^bits} slots with the hash's top bit as sign, and the vector is scaled to unit length.
 * Character n-grams carry German, misspellings and word fragments; word features did worse.
 */
public final class InjectionFeatures {

    /** A sparse vector: distinct slots and their values. */
    public record Vector(int[] slots, float[] values) {
    }

    private static final int HEAD = 3072;
    private static final int TAIL = 1024;

    private final int bits;
    private final int mask;

    public InjectionFeatures(int bits) {
        this.bits = bits;
        this.mask = (1 << bits) - 1;
    }

    public int bits() {
        return bits;
    }

    public Vector vector(String text) {
        int[] cps = joined(text);
        Map<Integer, Double> counts = new HashMap<>(cps.length * 3);
        Map<Integer, Integer> tf = new HashMap<>(cps.length * 3);
        for (int size = 3; size <= 5; size++) {
            for (int k = 0; k + size <= cps.length; k++) {
                int h = hash(cps, k, size);
                tf.merge(h, 1, Integer::sum);
            }
        }
        for (Map.Entry<Integer, Integer> e : tf.entrySet()) {
            int h = e.getKey();
            double value = (1 + Math.log(e.getValue())) * (h < 0 ? -1 : 1);
            counts.merge(h & mask, value, Double::sum);
        }
        int[] slots = new int[counts.size()];
        int i = 0;
        for (int slot : counts.keySet()) {
            slots[i++] = slot;
        }
        Arrays.sort(slots);
        float[] values = new float[slots.length];
        double norm = 0;
        for (int k = 0; k < slots.length; k++) {
            double v = counts.get(slots[k]);
            values[k] = (float) v;
            norm += v * v;
        }
        // The norm is taken over the distinct n-grams, before collisions are summed.
        double distinctNorm = 0;
        for (int count : tf.values()) {
            double v = 1 + Math.log(count);
            distinctNorm += v * v;
        }
        double scale = distinctNorm == 0 ? 0 : 1 / Math.sqrt(distinctNorm);
        for (int k = 0; k < values.length; k++) {
            values[k] *= (float) scale;
        }
        return new Vector(slots, values);
    }

    /** The normalised words of the text joined by spaces, with a space at each end, as code points. */
    static int[] joined(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int[] cps = t.codePoints().toArray();
        if (cps.length > HEAD + TAIL) {
            int[] cut = new int[HEAD + 1 + TAIL];
            System.arraycopy(cps, 0, cut, 0, HEAD);
            cut[HEAD] = ' ';
            System.arraycopy(cps, cps.length - TAIL, cut, HEAD + 1, TAIL);
            cps = cut;
        }
        int[] out = new int[cps.length + 2];
        int n = 0;
        out[n++] = ' ';
        boolean inWord = false;
        for (int cp : cps) {
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
        int h = 0x811c9dc5;
        h = (h ^ 'c') * 0x01000193;
        h = (h ^ ':') * 0x01000193;
        for (int k = from; k < from + size; k++) {
            int cp = cps[k];
            if (cp < 0x80) {
                h = (h ^ cp) * 0x01000193;
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    h = (h ^ (b & 0xff)) * 0x01000193;
                }
            }
        }
        return h;
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
