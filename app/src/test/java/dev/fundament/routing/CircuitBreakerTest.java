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
}
