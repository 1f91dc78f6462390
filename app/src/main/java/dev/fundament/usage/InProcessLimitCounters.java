package dev.fundament.usage;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters in this process's memory: exact for one instance. One lock guards all counters; the
 * critical section is a few map operations, far shorter than anything else a request does.
 * Rate counters of windows older than the current one are dropped as windows pass; budget counters
 * (one per scope and day or month) are few and stay.
 */
public final class InProcessLimitCounters implements LimitCounters {

    private final Map<String, long[]> counters = new HashMap<>();
    private long currentWindow = Long.MIN_VALUE;

    @Override
    public Uni<Admission> tryAcquire(List<Charge> charges) {
        return Uni.createFrom().item(() -> acquire(charges));
    }

    @Override
    public Uni<Void> adjust(List<Charge> charges) {
        synchronized (counters) {
            for (Charge c : charges) {
                counters.computeIfAbsent(c.counter(), k -> new long[] {c.base()})[0] += c.amount();
            }
        }
        return Uni.createFrom().voidItem();
    }

    Admission acquire(List<Charge> charges) {
        synchronized (counters) {
            prune(charges);
            long[] totals = new long[charges.size()];
            for (int i = 0; i < charges.size(); i++) {
                Charge c = charges.get(i);
                long[] value = counters.get(c.counter());
                long now = value == null ? c.base() : value[0];
                if (now + c.amount() > c.limit()) {
                    long[] rejected = new long[charges.size()];
                    rejected[i] = now;
                    return new Admission(false, i, rejected);
                }
                totals[i] = now + c.amount();
            }
            for (int i = 0; i < charges.size(); i++) {
                counters.computeIfAbsent(charges.get(i).counter(), k -> new long[1])[0] = totals[i];
            }
            return new Admission(true, -1, totals);
        }
    }

    /** Drops counters of past windows once a newer window is seen. */
    private void prune(List<Charge> charges) {
        if (charges.isEmpty()) {
            return;
        }
        if (!charges.getFirst().counter().startsWith("rl:")) {
            return;
        }
        long window = RateWindows.windowOf(charges.getFirst().counter());
        if (window > currentWindow) {
            currentWindow = window;
            counters.keySet().removeIf(name -> name.startsWith("rl:") && RateWindows.windowOf(name) < window - 1);
        }
    }
}
