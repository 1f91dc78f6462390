package dev.fundament.usage;

import dev.fundament.config.BudgetsSpec;
import dev.fundament.config.Configuration;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Daily and monthly budgets per team, user and key, enforced exactly under concurrency.
 *
 * <p>Before a call, {@link #hold} adds the request's worst-case cost (every token of its prompt
 * estimate and completion allowance at the dearer price of its route) to each budget's counter, all
 * or nothing, and refuses with 429 {@code insufficient_quota} when a cap would be passed. After the
 * call the hold is replaced by the real cost. So N parallel requests can spend no more than the cap
 * plus nothing: a hold is an upper bound. A counter starts at what the ledger already holds for the
 * period, so a restart forgets nothing. Counters live where the rate limits do (in process or Redis).
 */
@ApplicationScoped
public class BudgetGuard {

    private static final Logger LOG = Logger.getLogger(BudgetGuard.class);
    private static final int[] THRESHOLDS = {50, 80, 100};

    private final BudgetsSpec budgets;
    private final LimitCounters counters;
    private final LedgerStore ledger;
    private final String currency;
    private final Clock clock;
    private final java.util.function.Consumer<BudgetEvent> events;
    private final Map<String, Long> bases = new ConcurrentHashMap<>();

    @Inject
    public BudgetGuard(Configuration configuration, RateLimiter limiter, Ledger ledger, Event<BudgetEvent> events) {
        this(configuration.spec().budgets(), limiter.counters(), ledger.store(), ledger.pricing().currency(),
                Clock.systemUTC(), events::fireAsync);
    }

    BudgetGuard(BudgetsSpec budgets, LimitCounters counters, LedgerStore ledger, String currency, Clock clock,
                java.util.function.Consumer<BudgetEvent> events) {
        this.budgets = budgets;
        this.counters = counters;
        this.ledger = ledger;
        this.currency = currency;
        this.clock = clock;
        this.events = events;
    }

    /** A budget that applies to a request, for one period. */
    private record Cap(String scope, String ledgerId, String label, String period, long capMicros, Instant start,
                       Instant end) {
        String counter() {
            return "bg:" + period + ":" + start.getEpochSecond() + ":" + scope + ":" + ledgerId;
        }
    }

    /** @param worstCaseMicros the most the request can cost */
    public Uni<Hold> hold(Principal principal, long worstCaseMicros) {
        List<Cap> caps = caps(principal);
        if (caps.isEmpty()) {
            return Uni.createFrom().item(Hold.NONE);
        }
        return bases(caps).onItem().transformToUni(ignored -> {
            List<Charge> charges = new ArrayList<>(caps.size());
            for (Cap cap : caps) {
                long ttl = Math.max(60, cap.end().getEpochSecond() - clock.instant().getEpochSecond() + 86_400);
                charges.add(new Charge(cap.counter(), worstCaseMicros, cap.capMicros(), ttl, bases.get(cap.counter())));
            }
            return counters.tryAcquire(charges).onItem().transform(admission -> {
                if (!admission.admitted()) {
                    throw exhausted(caps.get(admission.rejected()), admission.totals()[admission.rejected()]);
                }
                return new Hold(this, caps, charges, worstCaseMicros, admission.totals());
            });
        });
    }

    /** One budget's state for one period, as {@code GET /admin/v1/budgets} shows it. */
    public record Status(String scope, String subject, String period, long capMicros, long spentMicros, Instant resetsAt) {
    }

    /**
     * The configured budgets and what the ledger holds against them this day and month. Admins and
     * auditors see all; a team admin its own team's; others none. Blocking: call from a worker.
     */
    public List<Status> status(Principal actor) {
        boolean all = actor.has(Role.ADMIN) || actor.has(Role.AUDITOR);
        if (!all && !actor.has(Role.TEAM_ADMIN)) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins, auditors and team admins read budgets.");
        }
        List<Cap> caps = new ArrayList<>();
        new java.util.TreeMap<>(budgets.teams()).forEach((team, spec) -> {
            if (all || team.equals(actor.team())) {
                add(caps, "team", team, team, spec);
            }
        });
        if (all) {
            new java.util.TreeMap<>(budgets.users()).forEach((user, spec) -> add(caps, "user", user, user, spec));
            new java.util.TreeMap<>(budgets.keys()).forEach((prefix, spec) -> add(caps, "key_prefix", prefix, prefix, spec));
        }
        return caps.stream().map(c -> new Status(c.scope().equals("key_prefix") ? "key" : c.scope(), c.label(), c.period(),
                c.capMicros(), ledger.spentSince(c.scope(), c.ledgerId(), c.start()), c.end())).toList();
    }

    private List<Cap> caps(Principal p) {
        List<Cap> caps = new ArrayList<>(2);
        add(caps, "team", p.team(), p.team(), budgets.teams().get(p.team() == null ? "" : p.team()));
        add(caps, "user", p.subject(), p.subject(), budgets.users().get(p.subject()));
        add(caps, "key", p.keyId(), p.keyPrefix(), p.keyPrefix() == null ? null : budgets.keys().get(p.keyPrefix()));
        return caps;
    }

    private void add(List<Cap> caps, String scope, String ledgerId, String label, BudgetsSpec.BudgetSpec spec) {
        if (spec == null || ledgerId == null) {
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (spec.daily() != null) {
            caps.add(new Cap(scope, ledgerId, label, "day", micros(spec.daily()), today.atStartOfDay().toInstant(ZoneOffset.UTC),
                    today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        if (spec.monthly() != null) {
            LocalDate first = today.withDayOfMonth(1);
            caps.add(new Cap(scope, ledgerId, label, "month", micros(spec.monthly()),
                    first.atStartOfDay().toInstant(ZoneOffset.UTC), first.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
    }

    /** Reads, once per counter and process, what the ledger already holds for the period (blocking, on a worker). */
    private Uni<Void> bases(List<Cap> caps) {
        List<Cap> missing = caps.stream().filter(c -> !bases.containsKey(c.counter())).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> {
            for (Cap c : missing) {
                bases.computeIfAbsent(c.counter(), k -> ledger.spentSince(c.scope(), c.ledgerId(), c.start()));
            }
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private GatewayException exhausted(Cap cap, long spentMicros) {
        long retry = Math.max(1, cap.end().getEpochSecond() - clock.instant().getEpochSecond());
        return new GatewayException(ErrorKind.BUDGET_EXHAUSTED, "The " + (cap.period().equals("day") ? "daily" : "monthly")
                + " budget of " + cap.scope() + " '" + cap.label() + "' (" + money(cap.capMicros()) + " " + currency
                + ") is used up: " + money(spentMicros) + " spent or held. It resets at " + cap.end() + ".", null,
                Map.of("Retry-After", String.valueOf(retry)));
    }

    void settled(Hold hold, long actualMicros) {
        long delta = actualMicros - hold.heldMicros;
        List<Charge> corrections = new ArrayList<>(hold.charges.size());
        for (Charge c : hold.charges) {
            corrections.add(new Charge(c.counter(), delta, c.limit(), c.ttlSeconds(), c.base()));
        }
        if (delta != 0) {
            counters.adjust(corrections).subscribe().with(ok -> { }, failure ->
                    LOG.errorf(failure, "Cannot settle budget counters; they overstate spending until the period ends"));
        }
        for (int i = 0; i < hold.caps.size(); i++) {
            Cap cap = hold.caps.get(i);
            long after = hold.totals[i] + delta;
            long before = hold.totals[i] - hold.heldMicros;
            for (int t : THRESHOLDS) {
                long mark = cap.capMicros() * t / 100;
                if (before < mark && after >= mark) {
                    BudgetEvent event = new BudgetEvent(cap.scope(), cap.label(), cap.period(), t, after / 1e6,
                            cap.capMicros() / 1e6, currency);
                    LOG.warnf("Budget %s '%s' (%s) reached %d %%: %s of %s %s", cap.scope(), cap.label(), cap.period(), t,
                            money(after), money(cap.capMicros()), currency);
                    events.accept(event);
                }
            }
        }
    }

    private static long micros(double amount) {
        return Math.round(amount * 1_000_000.0);
    }

    private static String money(long micros) {
        return java.math.BigDecimal.valueOf(micros, 6).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** What a request holds of its budgets until it settles. */
    public static final class Hold {

        static final Hold NONE = new Hold(null, List.of(), List.of(), 0, new long[0]);

        private final BudgetGuard guard;
        private final List<Cap> caps;
        private final List<Charge> charges;
        private final long heldMicros;
        private final long[] totals;
        private boolean settled;

        private Hold(BudgetGuard guard, List<Cap> caps, List<Charge> charges, long heldMicros, long[] totals) {
            this.guard = guard;
            this.caps = caps;
            this.charges = charges;
            this.heldMicros = heldMicros;
            this.totals = totals;
        }

        /** Replaces the hold by the real cost. Idempotent; never fails the request. */
        public void settle(long actualMicros) {
            if (settled || guard == null) {
                return;
            }
            settled = true;
            guard.settled(this, actualMicros);
        }
    }
}
