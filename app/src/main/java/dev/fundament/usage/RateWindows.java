package dev.fundament.usage;

/**
 * One-minute windows, aligned to the wall clock, so that every instance agrees on which window a
 * moment belongs to. Counter names start {@code rl:<window>:}.
 */
final class RateWindows {

    static final long WINDOW_MILLIS = 60_000;

    private RateWindows() {
    }

    static long window(long epochMillis) {
        return epochMillis / WINDOW_MILLIS;
    }

    /** @return seconds from {@code epochMillis} to the end of its window, at least 1 */
    static long secondsLeft(long epochMillis) {
        long end = (window(epochMillis) + 1) * WINDOW_MILLIS;
        return Math.max(1, (end - epochMillis + 999) / 1000);
    }

    static String counter(long window, String scope, String id, String metric) {
        return "rl:" + window + ":" + scope + ":" + id + ":" + metric;
    }

    static long windowOf(String counter) {
        int start = counter.indexOf(':') + 1;
        return Long.parseLong(counter, start, counter.indexOf(':', start), 10);
    }
}
