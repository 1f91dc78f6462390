package dev.fundament.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A target's recent latency: an exponentially weighted moving average of its successful calls' time
 * to the answer (for streams, to the first chunk), each new call counting {@value #ALPHA} of the
 * average. Lock-free; cheap enough for every call.
 */
public final class Latency {

    static final double ALPHA = 0.2;

    /** Bits of the average in milliseconds; NaN until the first call. */
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));

    public void record(long nanos) {
        double millis = nanos / 1e6;
        long prev;
        long next;
        do {
            prev = bits.get();
            double avg = Double.longBitsToDouble(prev);
            next = Double.doubleToRawLongBits(Double.isNaN(avg) ? millis : avg + ALPHA * (millis - avg));
        } while (!bits.compareAndSet(prev, next));
    }

    /** @return the average in milliseconds, NaN before the first call */
    public double millis() {
        return Double.longBitsToDouble(bits.get());
    }
}
