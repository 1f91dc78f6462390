package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.config.LimitsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests and tokens per minute, per key, user, team and model.
 *
 * <p>Before a call, {@link #reserve} charges one request and the request's token estimate (prompt
 * estimate plus {@code max_tokens}, or {@value #DEFAULT_COMPLETION_RESERVE} when none is given)
 * against every limit that applies; if any would be exceeded, nothing is charged and the caller gets
 * 429 with {@code Retry-After} (seconds to the next window) and OpenAI's {@code x-ratelimit-*} headers.
 * After the call, {@link Reservation#settle} replaces the estimate by the real usage. With no limit
 * configured for a request, nothing is counted and nothing is awaited. Which limits apply comes from
 * {@link RateLimits}: fundament.yaml's, or the admin API's where one was set.
 */
@ApplicationScoped
public class RateLimiter {

    /** Tokens reserved for the answer when a request gives no max_tokens. */
    public static final int DEFAULT_COMPLETION_RESERVE = 1024;

    private final RateLimits limits;
    private final LimitCounters counters;
    private final Clock clock;

    @Inject
    public RateLimiter(Configuration configuration, RateLimits limits, Vertx vertx) {
        this(limits, counters(configuration, vertx), Clock.systemUTC());
    }

    RateLimiter(RateLimits limits, LimitCounters counters, Clock clock) {
        this.limits = limits;
        this.counters = counters;
        this.clock = clock;
    }

    private static LimitCounters counters(Configuration configuration, Vertx vertx) {
        if (configuration.spec().limits().counters().type() == LimitsSpec.CountersType.REDIS) {
            return new RedisLimitCounters(vertx, configuration.get().secret("limits.counters.url"), "fundament:");
        }
        return new InProcessLimitCounters();
    }

    /** @return the counters, shared with the budgets */
    LimitCounters counters() {
        return counters;
    }

    void close(@Observes ShutdownEvent event) {
        counters.close();
    }

    /**
     * @param model           the public model name
     * @param estimatedTokens prompt estimate plus the completion allowance
     */
    public Uni<Reservation> reserve(Principal principal, String model, long estimatedTokens) {
        long now = clock.millis();
        long window = RateWindows.window(now);
        List<Charge> charges = new ArrayList<>(8);
        List<String> kinds = new ArrayList<>(8);
        add(charges, kinds, window, "key", principal.keyId(), estimatedTokens);
        add(charges, kinds, window, "user", principal.subject(), estimatedTokens);
        add(charges, kinds, window, "team", principal.team(), estimatedTokens);
        add(charges, kinds, window, "model", model, estimatedTokens);
        if (charges.isEmpty()) {
            return Uni.createFrom().item(Reservation.NONE);
        }
        return counters.tryAcquire(charges).onItem().transform(admission -> {
            if (!admission.admitted()) {
                throw exceeded(charges, kinds, admission, now);
            }
            return new Reservation(this, charges, kinds, estimatedTokens, headers(charges, kinds, admission.totals(), now));
        });
    }

    private void add(List<Charge> charges, List<String> kinds, long window, String scope, String id, long tokens) {
        if (id == null) {
            return;
        }
        LimitsSpec.RateSpec rate = limits.of(scope, id);
        if (rate.requestsPerMinute() != null) {
            charges.add(new Charge(RateWindows.counter(window, scope, id, "requests"), 1, rate.requestsPerMinute()));
            kinds.add(scope + " requests");
        }
        if (rate.tokensPerMinute() != null) {
            charges.add(new Charge(RateWindows.counter(window, scope, id, "tokens"), tokens, rate.tokensPerMinute()));
            kinds.add(scope + " tokens");
        }
    }

    private static GatewayException exceeded(List<Charge> charges, List<String> kinds, Admission admission, long now) {
        Charge c = charges.get(admission.rejected());
        String kind = kinds.get(admission.rejected());
        String what = kind.endsWith("tokens") ? "tokens" : "requests";
        long retry = RateWindows.secondsLeft(now);
        Map<String, String> headers = new HashMap<>();
        headers.put("Retry-After", String.valueOf(retry));
        headers.put("x-ratelimit-limit-" + what, String.valueOf(c.limit()));
        headers.put("x-ratelimit-remaining-" + what, String.valueOf(Math.max(0, c.limit() - admission.totals()[admission.rejected()])));
        headers.put("x-ratelimit-reset-" + what, retry + "s");
        String detail = what.equals("tokens") ? " (this request reserves " + c.amount() + " tokens: its prompt estimate"
                + " plus max_tokens; a smaller max_tokens may fit)" : "";
        return new GatewayException(ErrorKind.LIMIT_EXCEEDED, "Rate limit reached for " + kind.replace(" ", " ")
                + " per minute: limit " + c.limit() + detail + ". Retry after " + retry + " s.", null, headers);
    }

    /** OpenAI's headers for the tightest request and token limit of this request. */
    private static Map<String, String> headers(List<Charge> charges, List<String> kinds, long[] totals, long now) {
        Map<String, String> headers = new HashMap<>();
        long reset = RateWindows.secondsLeft(now);
        for (String what : new String[] {"requests", "tokens"}) {
            long bestRemaining = Long.MAX_VALUE;
            long bestLimit = 0;
            for (int i = 0; i < charges.size(); i++) {
                if (kinds.get(i).endsWith(what) && charges.get(i).limit() - totals[i] < bestRemaining) {
                    bestRemaining = charges.get(i).limit() - totals[i];
                    bestLimit = charges.get(i).limit();
                }
            }
            if (bestRemaining != Long.MAX_VALUE) {
                headers.put("x-ratelimit-limit-" + what, String.valueOf(bestLimit));
                headers.put("x-ratelimit-remaining-" + what, String.valueOf(Math.max(0, bestRemaining)));
                headers.put("x-ratelimit-reset-" + what, reset + "s");
            }
        }
        return headers;
    }

    Uni<Void> adjust(List<Charge> charges) {
        return counters.adjust(charges);
    }

    /** What a request holds of its limits until it settles. */
    public static final class Reservation {

        static final Reservation NONE = new Reservation(null, List.of(), List.of(), 0, Map.of());

        private final RateLimiter limiter;
        private final List<Charge> charges;
        private final List<String> kinds;
        private final long reservedTokens;
        private final Map<String, String> headers;
        private boolean settled;

        Reservation(RateLimiter limiter, List<Charge> charges, List<String> kinds, long reservedTokens,
                    Map<String, String> headers) {
            this.limiter = limiter;
            this.charges = charges;
            this.kinds = kinds;
            this.reservedTokens = reservedTokens;
            this.headers = Map.copyOf(headers);
        }

        /** @return the {@code x-ratelimit-*} headers for the response */
        public Map<String, String> headers() {
            return headers;
        }

        /** Replaces the token estimate by the tokens really used. Idempotent; never fails the request. */
        public void settle(long actualTokens) {
            if (settled || limiter == null) {
                return;
            }
            settled = true;
            long delta = actualTokens - reservedTokens;
            if (delta == 0) {
                return;
            }
            List<Charge> corrections = new ArrayList<>();
            for (int i = 0; i < charges.size(); i++) {
                if (kinds.get(i).endsWith("tokens")) {
                    corrections.add(new Charge(charges.get(i).counter(), delta, charges.get(i).limit()));
                }
            }
            if (!corrections.isEmpty()) {
                limiter.adjust(corrections).subscribe().with(ok -> { }, failure -> { });
            }
        }
    }
}
