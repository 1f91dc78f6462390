package dev.fundament.usage;

/**
 * The answer of {@link LimitCounters#tryAcquire}.
 *
 * @param admitted whether every charge was added
 * @param rejected the index of the first charge that did not fit, or -1
 * @param totals   each counter's value after the charges when admitted; when refused, the value of the
 *                 rejected counter at index {@code rejected} and 0 elsewhere
 */
public record Admission(boolean admitted, int rejected, long[] totals) {
}
