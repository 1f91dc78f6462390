package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.BudgetsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.testing.Databases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BudgetGuardTest {

    /** 22:00 UTC: the day ends in two hours. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T22:00:00Z"), ZoneOffset.UTC);
    private static final Principal BOB = new Principal("bob", false, "sales", Set.of(Role.USER), Set.of(), "key-bob",
            "fk-bob", Map.of());

    JdbcLedgerStore ledger;
    List<BudgetEvent> events;

    @BeforeEach
    void setUp() {
        ledger = new JdbcLedgerStore(Databases.h2());
        events = new CopyOnWriteArrayList<>();
    }

    private BudgetGuard guard(double daily, Double monthly) {
        BudgetsSpec spec = new BudgetsSpec(Map.of("sales", new BudgetsSpec.BudgetSpec(daily, monthly)), null, null);
        return new BudgetGuard(spec, new InProcessLimitCounters(), ledger, "EUR", CLOCK, events::add);
    }

    private static BudgetGuard.Hold hold(BudgetGuard guard, long micros) {
        return guard.hold(BOB, micros).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void parallelRequestsNeverOverspend() throws Exception {
        BudgetGuard guard = guard(1.00, null);
        AtomicInteger admitted = new AtomicInteger();
        List<BudgetGuard.Hold> holds = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    holds.add(hold(guard, 300_000));
                    admitted.incrementAndGet();
                } catch (GatewayException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BUDGET_EXHAUSTED);
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        pool.shutdown();
        assertThat(admitted.get()).as("holds of 0.30 within 1.00").isEqualTo(3);

        holds.forEach(h -> h.settle(250_000));
        assertThat(hold(guard, 250_000)).isNotNull();
        assertThatThrownBy(() -> hold(guard, 1)).as("1.00 spent").isInstanceOf(GatewayException.class);
    }

    @Test
    void refusalSaysWhatAndWhenItResets() {
        BudgetGuard guard = guard(2.00, null);
        assertThatThrownBy(() -> hold(guard, 2_500_000)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind().status()).isEqualTo(429);
            assertThat(e.kind().code()).isEqualTo("insufficient_quota");
            assertThat(e.getMessage()).contains("daily budget of team 'sales' (2.00 EUR)")
                    .contains("resets at 2026-11-26T00:00:00Z");
            assertThat(e.headers()).containsEntry("Retry-After", "7200");
        });
    }

    @Test
    void startsFromWhatTheLedgerAlreadyHolds() {
        ledger.insert(List.of(new LedgerEntry("e1", "r1", Instant.parse("2026-11-25T08:00:00Z"), "bob", "sales", "key-bob",
                "fk-bob", null, "chat", "m", "p", "m", 1, 1, 0, false, 900_000, "EUR", 1, 200, null, false, false, false, "h")));
        BudgetGuard guard = guard(1.00, null);
        assertThatThrownBy(() -> hold(guard, 200_000)).isInstanceOf(GatewayException.class);
        assertThat(hold(guard, 100_000)).isNotNull();
    }

    @Test
    void eventsAtFiftyEightyAndHundredPercent() {
        BudgetGuard guard = guard(10.00, 100.0);
        hold(guard, 6_000_000).settle(4_000_000);
        assertThat(events).isEmpty();
        hold(guard, 2_000_000).settle(1_500_000);
        assertThat(events).extracting(BudgetEvent::percent).containsExactly(50);
        hold(guard, 3_000_000).settle(3_000_000);
        assertThat(events).extracting(e -> e.period() + ":" + e.percent()).containsExactly("day:50", "day:80");
        hold(guard, 1_500_000).settle(1_500_000);
        assertThat(events).extracting(e -> e.period() + ":" + e.percent()).containsExactly("day:50", "day:80", "day:100");
        assertThat(events.getLast().spent()).isEqualTo(10.0);
    }
}
