package dev.fundament.usage;

/**
 * An amount to add to one counter, and the most that counter may hold.
 *
 * @param counter    the counter's full name, period included ({@code rl:29384123:team:sales:tokens})
 * @param amount     what to add; negative when a reservation is given back
 * @param limit      the counter's limit in its period
 * @param ttlSeconds how long the counter lives after its last change
 * @param base       the counter's value when it does not exist yet (a budget starts at what the ledger
 *                   already holds for the period)
 */
public record Charge(String counter, long amount, long limit, long ttlSeconds, long base) {

    /** A rate-limit charge: a one-minute window's counter, starting at zero. */
    public Charge(String counter, long amount, long limit) {
        this(counter, amount, limit, 120, 0);
    }
}
