package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LimitCounters} must do; each implementation's test extends this. */
abstract class LimitCountersContract {

    LimitCounters counters;
    String id;

    abstract LimitCounters create();

    @BeforeEach
    void setUp() {
        counters = create();
        id = UUID.randomUUID().toString();
    }

    @AfterEach
    void tearDown() {
        counters.close();
    }

    private String counter(String name) {
        return RateWindows.counter(RateWindows.window(System.currentTimeMillis()), "test", id, name);
    }

    private Admission acquire(Charge... charges) {
        return counters.tryAcquire(List.of(charges)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void admitsUpToTheLimitAndNoFurther() {
        String c = counter("requests");
        for (int i = 1; i <= 3; i++) {
            Admission a = acquire(new Charge(c, 1, 3));
            assertThat(a.admitted()).isTrue();
            assertThat(a.totals()[0]).isEqualTo(i);
        }
        Admission refused = acquire(new Charge(c, 1, 3));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.rejected()).isZero();
        assertThat(refused.totals()[0]).isEqualTo(3);
    }

    @Test
    void allOrNothingAcrossCounters() {
        String requests = counter("requests");
        String tokens = counter("tokens");
        assertThat(acquire(new Charge(requests, 1, 10), new Charge(tokens, 900, 1000)).admitted()).isTrue();
        Admission refused = acquire(new Charge(requests, 1, 10), new Charge(tokens, 200, 1000));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.rejected()).isEqualTo(1);
        Admission after = acquire(new Charge(requests, 1, 10), new Charge(tokens, 100, 1000));
        assertThat(after.admitted()).isTrue();
        assertThat(after.totals()).containsExactly(2, 1000);
    }

    @Test
    void adjustGivesBackAndTakesMore() {
        String tokens = counter("tokens");
        acquire(new Charge(tokens, 800, 1000));
        counters.adjust(List.of(new Charge(tokens, -500, 1000))).await().atMost(Duration.ofSeconds(5));
        assertThat(acquire(new Charge(tokens, 600, 1000)).totals()[0]).isEqualTo(900);
    }

    @Test
    void aMissingCounterStartsAtItsBase() {
        String c = "bg:day:" + id + ":team:sales";
        Admission a = counters.tryAcquire(List.of(new Charge(c, 100, 1_000, 3_600, 850))).await().atMost(Duration.ofSeconds(5));
        assertThat(a.totals()[0]).isEqualTo(950);
        Admission refused = counters.tryAcquire(List.of(new Charge(c, 100, 1_000, 3_600, 0))).await().atMost(Duration.ofSeconds(5));
        assertThat(refused.admitted()).as("the base applies only to a missing counter").isFalse();
        counters.adjust(List.of(new Charge(c + ":other", 5, 1_000, 3_600, 40))).await().atMost(Duration.ofSeconds(5));
        assertThat(counters.tryAcquire(List.of(new Charge(c + ":other", 0, 1_000, 3_600, 0))).await()
                .atMost(Duration.ofSeconds(5)).totals()[0]).isEqualTo(45);
    }

    @Test
    void exactUnderConcurrency() throws Exception {
        String c = counter("requests");
        int limit = 50;
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                if (acquire(new Charge(c, 1, limit)).admitted()) {
                    admitted.incrementAndGet();
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        pool.shutdown();
        assertThat(admitted.get()).isEqualTo(limit);
    }
}
