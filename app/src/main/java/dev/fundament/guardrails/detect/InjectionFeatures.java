package dev.fundament.guardrails.detect;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

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
        int grams = 3 * Math.max(0, cps.length - 2);
        Scratch scratch = SCRATCH.get().fit(grams);
        // Term frequency of each distinct n-gram hash, in an open-addressing table (no boxing: this runs
        // on every request).
        // FNV-1a is a prefix hash: the 4- and 5-gram at a position continue the 3-gram's state.
        for (int k = 0; k + 3 <= cps.length; k++) {
            int h = PREFIX;
            h = step(h, cps[k]);
            h = step(h, cps[k + 1]);
            h = step(h, cps[k + 2]);
            scratch.count(h);
            if (k + 4 <= cps.length) {
                h = step(h, cps[k + 3]);
                scratch.count(h);
                if (k + 5 <= cps.length) {
                    scratch.count(step(h, cps[k + 4]));
                }
            }
        }
        // Each distinct n-gram adds its log-scaled frequency, signed by its hash, to its slot; the norm
        // is taken over the distinct n-grams, before collisions are summed.
        double distinctNorm = 0;
        for (int i = 0; i < scratch.used; i++) {
            int at = scratch.order[i];
            int count = scratch.counts[at];
            double v = count < LOG_TF.length ? LOG_TF[count] : 1 + Math.log(count);
            distinctNorm += v * v;
            int h = scratch.keys[at];
            scratch.add(h & mask, h < 0 ? -v : v);
        }
        double scale = distinctNorm == 0 ? 0 : 1 / Math.sqrt(distinctNorm);
        int[] slots = new int[scratch.slotsUsed];
        float[] values = new float[scratch.slotsUsed];
        for (int i = 0; i < scratch.slotsUsed; i++) {
            int at = scratch.slotOrder[i];
            slots[i] = scratch.slotKeys[at];
            values[i] = (float) scratch.slotValues[at];
            values[i] *= (float) scale;
        }
        return new Vector(slots, values);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Per-thread tables for {@link #vector}: n-gram hash to count, and slot to summed value, both open
     * addressing with a generation stamp, so a call clears nothing and allocates only its result.
     */
    private static final class Scratch {
        int[] keys = new int[0];
        int[] counts = new int[0];
        int[] stamps = new int[0];
        int[] order = new int[0];
        int used;
        int[] slotKeys = new int[0];
        double[] slotValues = new double[0];
        int[] slotStamps = new int[0];
        int[] slotOrder = new int[0];
        int slotsUsed;
        int generation;

        Scratch fit(int entries) {
            int capacity = Integer.highestOneBit(Math.max(16, entries * 2 - 1)) << 1;
            if (keys.length < capacity) {
                keys = new int[capacity];
                counts = new int[capacity];
                stamps = new int[capacity];
                order = new int[capacity];
                slotKeys = new int[capacity];
                slotValues = new double[capacity];
                slotStamps = new int[capacity];
                slotOrder = new int[capacity];
                generation = 0;
            }
            if (++generation == 0) {
                java.util.Arrays.fill(stamps, 0);
                java.util.Arrays.fill(slotStamps, 0);
                generation = 1;
            }
            used = 0;
            slotsUsed = 0;
            return this;
        }

        void count(int h) {
            int mask = keys.length - 1;
            int at = mix(h) & mask;
            while (stamps[at] == generation) {
                if (keys[at] == h) {
                    counts[at]++;
                    return;
                }
                at = (at + 1) & mask;
            }
            stamps[at] = generation;
            keys[at] = h;
            counts[at] = 1;
            order[used++] = at;
        }

        void add(int slot, double value) {
            int mask = slotKeys.length - 1;
            int at = mix(slot) & mask;
            while (slotStamps[at] == generation) {
                if (slotKeys[at] == slot) {
                    slotValues[at] += value;
                    return;
                }
                at = (at + 1) & mask;
            }
            slotStamps[at] = generation;
            slotKeys[at] = slot;
            slotValues[at] = value;
            slotOrder[slotsUsed++] = at;
        }

        private static int mix(int h) {
            h *= 0x9e3779b9;
            return h ^ (h >>> 16);
        }
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
        int h = PREFIX;
        for (int k = from; k < from + size; k++) {
            h = step(h, cps[k]);
        }
        return h;
    }

    /** The FNV-1a state after {@code "c:"}. */
    private static final int PREFIX = (((0x811c9dc5 ^ 'c') * 0x01000193) ^ ':') * 0x01000193;

    /** 1 + ln(n) for small term frequencies, the common case, without the logarithm. */
    private static final double[] LOG_TF = new double[64];

    static {
        for (int n = 1; n < LOG_TF.length; n++) {
            LOG_TF[n] = 1 + Math.log(n);
        }
    }

    /** Feeds one code point's UTF-8 bytes to an FNV-1a state. */
    private static int step(int h, int cp) {
        if (cp < 0x80) {
            return (h ^ cp) * 0x01000193;
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            return (h ^ '?') * 0x01000193; // a lone surrogate encodes as '?'
        } else if (cp < 0x800) {
            h = (h ^ (0xc0 | cp >> 6)) * 0x01000193;
            return (h ^ (0x80 | cp & 0x3f)) * 0x01000193;
        } else if (cp < 0x10000) {
            h = (h ^ (0xe0 | cp >> 12)) * 0x01000193;
            h = (h ^ (0x80 | cp >> 6 & 0x3f)) * 0x01000193;
            return (h ^ (0x80 | cp & 0x3f)) * 0x01000193;
        }
        h = (h ^ (0xf0 | cp >> 18)) * 0x01000193;
        h = (h ^ (0x80 | cp >> 12 & 0x3f)) * 0x01000193;
        h = (h ^ (0x80 | cp >> 6 & 0x3f)) * 0x01000193;
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
