package dev.fundament.usage;

/**
 * An amount to add to one counter, and the most that counter may hold.
 *
 * @param counter the counter's full name, window included ({@code rl:29384123:team:sales:tokens})
 * @param amount  what to add; negative when a reservation is given back
 * @param limit   the counter's limit in its window
 */
public record Charge(String counter, long amount, long limit) {
}
