/**
 * Spend control: rate limits now; budgets and the usage ledger next.
 *
 * <p>Entry point: {@link dev.fundament.usage.RateLimiter}, which reserves a request's share of every
 * limit that applies to it (its key, user, team and model; requests and tokens per minute) before the
 * call and settles the token reservation with the real usage after it. Counters live behind
 * {@link dev.fundament.usage.LimitCounters}: {@link dev.fundament.usage.InProcessLimitCounters} by
 * default, {@link dev.fundament.usage.RedisLimitCounters} so that a limit holds exactly across
 * instances; both pass {@code LimitCountersContract}.
 */
package dev.fundament.usage;
