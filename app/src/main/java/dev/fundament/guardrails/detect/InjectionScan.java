package dev.fundament.guardrails.detect;

/**
 * The highest logit of any window of a joined text ({@link InjectionFeatures#windows}) in one pass,
 * the same number the windows' vectors give but without building them: every n-gram is hashed once
 * and given a dense id, then the windows slide along the text while a running sum of
 * {@code weight × (1 + ln count)} and of the squared n-gram weights (the window's norm) are updated
 * as n-grams enter and leave. Each n-gram enters and leaves once, so the cost grows with the text's
 * length, not with the number of windows.
 */
final class InjectionScan {

    /** The longest text read in one piece, in characters of the joined text. */
    static final int PIECE = 16_384;

    private static final double[] LOG_TF = new double[256];

    static {
        for (int c = 0; c < LOG_TF.length; c++) {
            LOG_TF[c] = InjectionFeatures.logTf(c);
        }
    }

    private final int[] ids;
    private final float[] contribution;
    private final int[] counts;
    private final int length;
    private double dot;
    private double squares;

    private InjectionScan(int[] cps, float[] weights) {
        length = cps.length;
        int grams = 3 * length;
        int capacity = Integer.highestOneBit(Math.max(16, grams) * 2);
        int[] keys = new int[capacity];
        int[] table = new int[capacity]; // dense id + 1, 0 while free
        int shift = Integer.numberOfLeadingZeros(capacity - 1);
        ids = new int[grams];
        contribution = new float[grams];
        int mask = weights.length - 1;
        int distinct = 0;
        for (int k = 0; k + 3 <= length; k++) {
            // the 3-, 4- and 5-gram at k share their first code points, and so their hash's first steps
            int h = InjectionFeatures.step(InjectionFeatures.step(InjectionFeatures.PREFIX, cps[k]), cps[k + 1]);
            for (int size = 3; size <= 5 && k + size <= length; size++) {
                h = InjectionFeatures.step(h, cps[k + size - 1]);
                int i = (h * 0x9e3779b9) >>> shift;
                while (table[i] != 0 && keys[i] != h) {
                    i = (i + 1) & (capacity - 1);
                }
                if (table[i] == 0) {
                    keys[i] = h;
                    table[i] = ++distinct;
                    contribution[distinct - 1] = h < 0 ? -weights[h & mask] : weights[h & mask];
                }
                ids[(size - 3) * length + k] = table[i] - 1;
            }
        }
        counts = new int[distinct];
    }

    /**
     * @return the highest {@code bias + weights · window} over the windows of the joined text; a text
     *     longer than {@value #PIECE} characters is read in pieces that overlap by a window, so the
     *     memory a scan takes stays bounded however long the text
     */
    static double maxLogit(int[] cps, float[] weights, float bias) {
        if (cps.length <= PIECE) {
            return maxLogitOfPiece(cps, weights, bias);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int from = 0; ; ) {
            int to = Math.min(cps.length, from + PIECE);
            int end = to;
            while (end > from + InjectionFeatures.WINDOW && cps[end - 1] != ' ') {
                end--;
            }
            if (cps[end - 1] == ' ') {
                to = end;
            }
            best = Math.max(best, maxLogitOfPiece(piece(cps, from, to), weights, bias));
            if (to == cps.length) {
                return best;
            }
            int next = to - InjectionFeatures.WINDOW;
            while (next < to && cps[next] != ' ') {
                next++;
            }
            from = next < to ? next : to - InjectionFeatures.WINDOW;
        }
    }

    /** @return {@code cps[from, to)} with a space at each end, as a joined text has */
    private static int[] piece(int[] cps, int from, int to) {
        int[] out = new int[to - from + 2];
        int n = 0;
        if (cps[from] != ' ') {
            out[n++] = ' ';
        }
        System.arraycopy(cps, from, out, n, to - from);
        n += to - from;
        if (cps[to - 1] != ' ') {
            out[n++] = ' ';
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static double maxLogitOfPiece(int[] cps, float[] weights, float bias) {
        InjectionScan scan = new InjectionScan(cps, weights);
        int[] bounds = InjectionFeatures.windows(cps);
        double best = Double.NEGATIVE_INFINITY;
        int from = 0;
        int to = 0;
        for (int w = 0; w < bounds.length; w += 2) {
            int nextFrom = bounds[w];
            int nextTo = bounds[w + 1];
            // n-grams of the last window that start before the next one leave...
            for (int k = from; k < Math.min(nextFrom, to); k++) {
                for (int size = 3; size <= 5 && k + size <= to; size++) {
                    scan.change(k, size, -1);
                }
            }
            // ...and those that end after it and start in the next one enter
            for (int end = to + 1; end <= nextTo; end++) {
                for (int size = 3; size <= 5 && end - size >= nextFrom; size++) {
                    scan.change(end - size, size, 1);
                }
            }
            from = nextFrom;
            to = nextTo;
            double logit = scan.squares > 1e-9 ? bias + scan.dot / Math.sqrt(scan.squares) : bias;
            best = Math.max(best, logit);
        }
        return best;
    }

    private void change(int start, int size, int delta) {
        int id = ids[(size - 3) * length + start];
        int before = counts[id];
        int after = before + delta;
        counts[id] = after;
        double was = before < LOG_TF.length ? LOG_TF[before] : InjectionFeatures.logTf(before);
        double is = after < LOG_TF.length ? LOG_TF[after] : InjectionFeatures.logTf(after);
        dot += contribution[id] * (is - was);
        squares += is * is - was * was;
    }
}
