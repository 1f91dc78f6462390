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
        assertThat(allows()).isFalse();

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(allows()).as("one probe").isTrue();
        assertThat(allows()).as("only one probe at a time").isFalse();
        breaker.failure();
        assertThat(breaker.state()).as("a failed probe opens it again").isEqualTo(CircuitBreaker.State.OPEN);

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(allows()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
        assertThat(allows()).isTrue();
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
        assertThat(allows()).isFalse();
        now += 1;
        assertThat(allows()).as("a probe when the upstream said to come back").isTrue();
        breaker.busy(null);
        assertThat(breaker.state()).as("still busy: rests again").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.millisUntilProbe()).as("no Retry-After: the default rest").isEqualTo(CircuitBreaker.OPEN_MILLIS);

        now += CircuitBreaker.OPEN_MILLIS;
        assertThat(allows()).isTrue();
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

    private boolean allows() {
        return breaker.pass() != null;
    }

    private void open() {
        for (int i = 0; i < CircuitBreaker.MIN_CALLS; i++) {
            breaker.failure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        now += CircuitBreaker.OPEN_MILLIS;
    }

    /**
     * Regression: a probe that ended with no outcome (its caller went away before the first chunk,
     * our own admission queue shed it, the deadline passed before it was sent) never reported back,
     * and the breaker stayed half-open for good: every later call was refused until a restart. Handed
     * back, the pass lets the next call probe.
     */
    @Test
    void aProbeHandedBackWithoutAnOutcomeLetsTheNextCallProbe() {
        open();
        CircuitBreaker.Pass probe = breaker.pass();
        assertThat(probe).as("the probe").isNotNull();
        assertThat(allows()).as("one probe at a time").isFalse();

        breaker.release(probe);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        CircuitBreaker.Pass next = breaker.pass();
        assertThat(next).as("the next call probes instead").isNotNull();
        breaker.release(probe);
        assertThat(allows()).as("the old probe's pass, handed back twice, frees nothing").isFalse();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aPassFromBeforeTheBreakerOpenedFreesNoSecondProbe() {
        CircuitBreaker.Pass early = breaker.pass();
        assertThat(early).as("closed: every call passes").isNotNull();
        open();
        assertThat(allows()).as("the probe").isTrue();
        breaker.release(early); // the call let through while closed ends, cancelled, during the probe
        assertThat(allows()).as("still one probe at a time").isFalse();
    }

    /** Regression: an upstream 4xx (no fallback) reported nothing, so a probe that met one wedged the breaker. */
    @Test
    void aProbeTheUpstreamRejectedAsABadRequestClosesTheBreaker() {
        open();
        assertThat(allows()).isTrue();
        breaker.answered();
        assertThat(breaker.state()).as("the upstream answered: it is up").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(allows()).isTrue();
    }

    @Test
    void badRequestsNeitherOpenTheBreakerNorHideFailures() {
        for (int i = 0; i < 100; i++) {
            breaker.answered();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
        for (int i = 0; i < CircuitBreaker.MIN_CALLS; i++) {
            breaker.failure();
            breaker.answered(); // a caller's bad requests between other callers' failures
        }
        assertThat(breaker.state()).as("bad requests do not dilute the failures").isEqualTo(CircuitBreaker.State.OPEN);
    }

    /** The last guard: a probe that never reports back (a bug, a lost callback) holds the next one back only for a rest. */
    @Test
    void aProbeOutForARestNoLongerHoldsBackTheNext() {
        open();
        assertThat(allows()).isTrue();
        now += CircuitBreaker.OPEN_MILLIS - 1;
        assertThat(allows()).as("the probe is still out").isFalse();
        now += 1;
        CircuitBreaker.Pass second = breaker.pass();
        assertThat(second).as("a probe out for a whole rest no longer counts").isNotNull();
        assertThat(allows()).as("and the new one holds back the rest").isFalse();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
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
