package dev.fundament.gateway;

import dev.fundament.usage.BudgetGuard;
import dev.fundament.usage.RateLimiter;

/**
 * What a request holds until it settles: its share of the rate limits and of the budgets. Filled in
 * as the pipeline admits the request; empty parts mean "nothing held yet". Confined to the request's
 * event loop.
 */
final class Holds {

    RateLimiter.Reservation reservation;
    BudgetGuard.Hold budget;
}
