package dev.fundament.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private long now = 1_000;
    private final CircuitBreaker breaker = new CircuitBreaker(() -> now);

    @Test
    void opensOnAHighFailureRateAndProbesAfterTheCoolDown() {
        for (int i = 0; i < 9; i++) {
            breaker.failure();
        }
        assertThat(breaker.state()).as("too few calls to judge").isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allows()).isFalse();

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(breaker.allows()).as("one probe").isTrue();
        assertThat(breaker.allows()).as("only one probe at a time").isFalse();
        breaker.failure();
        assertThat(breaker.state()).as("a failed probe opens it again").isEqualTo(CircuitBreaker.State.OPEN);

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(breaker.allows()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
        assertThat(breaker.allows()).isTrue();
    }

    @Test
    void occasionalFailuresDoNotOpenIt() {
        for (int i = 0; i < 100; i++) {
            if (i % 3 == 0) {
                breaker.failure();
            } else {
                breaker.success();
            }
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).isBetween(0.3, 0.4);
    }

    @Test
    void a429ShareAmongSuccessesNeverOpensIt() {
        for (int i = 0; i < 200; i++) {
            if (i % 2 == 0) {
                breaker.busy(java.time.Duration.ofSeconds(1));
            } else {
                breaker.success();
            }
        }
        assertThat(breaker.state()).as("an upstream near its quota is busy, not broken").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).as("429s are not failures").isZero();
        assertThat(breaker.restsBusy()).isFalse();
    }

    @Test
    void onlyAnUpstreamThatTurnsEveryCallAwayRestsAndForAsLongAsItAsked() {
        breaker.success();
        for (int i = 0; i < CircuitBreaker.WINDOW - 1; i++) {
            breaker.busy(java.time.Duration.ofSeconds(30));
        }
        assertThat(breaker.state()).as("one success in the window").isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.busy(java.time.Duration.ofSeconds(30));
        assertThat(breaker.state()).as("every call in the window was a 429").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.restsBusy()).isTrue();
        assertThat(breaker.millisUntilProbe()).as("the upstream's Retry-After, not the fixed rest").isEqualTo(30_000);

        now += 29_999;
        assertThat(breaker.allows()).isFalse();
        now += 1;
        assertThat(breaker.allows()).as("a probe when the upstream said to come back").isTrue();
        breaker.busy(null);
        assertThat(breaker.state()).as("still busy: rests again").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.millisUntilProbe()).as("no Retry-After: the default rest").isEqualTo(CircuitBreaker.OPEN_MILLIS);

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(breaker.allows()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.restsBusy()).isFalse();
    }

    @Test
    void failuresAndBusyAnswersTogetherWithNoSuccessOpenIt() {
        for (int i = 0; i < CircuitBreaker.MIN_CALLS; i++) {
            if (i % 3 == 0) {
                breaker.failure();
            } else {
                breaker.busy(java.time.Duration.ofMillis(10));
            }
        }
        assertThat(breaker.state()).as("4 failures and 6 429s, no success").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.restsBusy()).as("failing, not merely busy").isFalse();
        assertThat(breaker.millisUntilProbe()).isEqualTo(CircuitBreaker.OPEN_MILLIS);
    }

    @Test
    void aBusyUpstreamRestsAtLeastASecondAndAtMostAMinute() {
        CircuitBreaker quick = new CircuitBreaker(() -> now);
        CircuitBreaker slow = new CircuitBreaker(() -> now);
        for (int i = 0; i < CircuitBreaker.MIN_CALLS; i++) {
            quick.busy(java.time.Duration.ZERO);
            slow.busy(java.time.Duration.ofHours(1));
        }
        assertThat(quick.millisUntilProbe()).isEqualTo(1_000);
        assertThat(slow.millisUntilProbe()).isEqualTo(60_000);
    }
}
