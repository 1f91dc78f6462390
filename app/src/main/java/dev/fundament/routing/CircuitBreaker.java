package dev.fundament.routing;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One target's circuit breaker. It watches the last {@value #WINDOW} calls, each a success, a failure
 * (an upstream error that allows fallback, never a caller's mistake) or busy (the upstream answered
 * 429). When at least {@value #MIN_CALLS} calls are known it opens, and the target is skipped, if
 * <ul>
 *   <li>half or more of them failed: the target is broken and rests {@value #OPEN_MILLIS} ms; or</li>
 *   <li>none of them succeeded: when the upstream was busy every time, it rests as long as the
 *       upstream's last {@code Retry-After} asked (at least {@value #MIN_BUSY_MILLIS} ms, at most
 *       {@value #MAX_BUSY_MILLIS} ms, else {@value #OPEN_MILLIS} ms); with failures among them, as a
 *       broken target.</li>
 * </ul>
 * A 429 says the upstream is busy, not broken: a share of 429s among successes (an upstream near its
 * quota) never opens the breaker, since the retries and fallbacks of the target loop absorb them;
 * and a breaker that rests a busy target makes the caller's answer a 429 with {@code Retry-After},
 * not a 502 (see {@link TargetLoop}). Only an upstream that turns every call away is given a rest.
 *
 * <p>After the rest one probe call is let through (half-open); its success closes the breaker, its
 * failure or a 429 opens it again. An upstream that rejects the probe's request (400, 413, 422) has
 * answered, so it is up: that closes the breaker too. Every call the breaker lets through holds a
 * {@link Pass}; a call that ends with no outcome at all (the caller went away, our own admission queue
 * turned it down, the request's time ran out before it was sent, an error of ours) hands it back with
 * {@link #release}, so the next call may probe. Without that, one such probe left the breaker half-open
 * for good and the target answered 503 until a restart. As a last guard a probe that has been out for
 * {@value #OPEN_MILLIS} ms no longer holds back the next one. Thread-safe; cheap enough for every call:
 * only a probe allocates.
 */
public final class CircuitBreaker {

    static final int WINDOW = 20;
    static final int MIN_CALLS = 10;
    static final long OPEN_MILLIS = 15_000;
    static final long MIN_BUSY_MILLIS = 1_000;
    static final long MAX_BUSY_MILLIS = 60_000;

    private static final byte SUCCESS = 0;
    private static final byte FAILURE = 1;
    private static final byte BUSY = 2;

    /** Where a breaker stands. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final LongSupplier clock;
    private final boolean enabled;
    private final byte[] outcomes = new byte[WINDOW];
    private int calls;
    private int next;
    private int failed;
    private int busy;
    private State state = State.CLOSED;
    private long openedAt;
    private long openMillis = OPEN_MILLIS;
    private boolean openedBusy;
    /** The probe out while half-open, or null when none is. */
    private Pass probe;

    /**
     * A call let through. Hand it back with {@link #release} when the call ends without an outcome
     * (neither {@link #success}, {@link #failure}, {@link #busy} nor {@link #answered}).
     */
    public static final class Pass {
        private final long at;

        private Pass(long at) {
            this.at = at;
        }
    }

    /** The pass of every call while the breaker is closed: such calls hold nothing to give back. */
    private static final Pass CLOSED_PASS = new Pass(0);

    public CircuitBreaker() {
        this(System::currentTimeMillis, true);
    }

    /** @param enabled false for a breaker that only measures and never opens ({@code circuit_breaker: false}) */
    public CircuitBreaker(boolean enabled) {
        this(System::currentTimeMillis, enabled);
    }

    CircuitBreaker(LongSupplier clock) {
        this(clock, true);
    }

    CircuitBreaker(LongSupplier clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * @return a pass when a call may go to this target now, else null; in half-open state, one probe
     *         at a time (a probe out for {@value #OPEN_MILLIS} ms or more no longer counts)
     */
    public synchronized Pass pass() {
        if (state == State.CLOSED) {
            return CLOSED_PASS;
        }
        long now = clock.getAsLong();
        if (state == State.OPEN) {
            if (now - openedAt < openMillis) {
                return null;
            }
            state = State.HALF_OPEN;
            probe = null;
        }
        if (probe != null && now - probe.at < OPEN_MILLIS) {
            return null;
        }
        probe = new Pass(now);
        return probe;
    }

    /**
     * The call holding {@code pass} ended without an outcome: if it was the probe, the next call may
     * probe instead. Harmless for any other pass, and after an outcome.
     */
    public synchronized void release(Pass pass) {
        if (pass != null && pass == probe) {
            probe = null;
        }
    }

    public synchronized void success() {
        if (state == State.HALF_OPEN) {
            reset();
            return;
        }
        record(SUCCESS);
    }

    public synchronized void failure() {
        if (state == State.HALF_OPEN) {
            open(OPEN_MILLIS, false);
            return;
        }
        record(FAILURE);
        judge(OPEN_MILLIS);
    }

    /**
     * The upstream answered, but rejected the request (400, 413, 422): it is up, and the request is at
     * fault. A probe's such answer closes the breaker. While closed it is not counted either way: a
     * caller's bad requests must neither open the breaker nor hide the failures others meet.
     */
    public synchronized void answered() {
        if (state == State.HALF_OPEN) {
            reset();
        }
    }

    /**
     * The upstream answered 429.
     *
     * @param retryAfter how long it asked callers to wait, or {@code null} when it did not say
     */
    public synchronized void busy(Duration retryAfter) {
        long rest = retryAfter == null ? OPEN_MILLIS
                : Math.max(MIN_BUSY_MILLIS, Math.min(MAX_BUSY_MILLIS, retryAfter.toMillis()));
        if (state == State.HALF_OPEN) {
            open(rest, true);
            return;
        }
        record(BUSY);
        judge(rest);
    }

    public synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openMillis) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** @return whether the breaker is open because the upstream turned every call away with 429 */
    public synchronized boolean restsBusy() {
        return state != State.CLOSED && openedBusy;
    }

    /** @return milliseconds until the next probe may go out; 0 when calls may go now */
    public synchronized long millisUntilProbe() {
        return state == State.OPEN ? Math.max(0, openedAt + openMillis - clock.getAsLong()) : 0;
    }

    /** @return the share of failed calls in the window, 0 to 1 (429s are not failures) */
    public synchronized double failureRate() {
        return calls == 0 ? 0 : (double) failed / calls;
    }

    /**
     * Opens on a failure rate of half or more, or when no call of the window succeeded: resting for
     * {@code busyRest} when every one of them was a 429, else as a broken target.
     */
    private void judge(long busyRest) {
        if (!enabled || state != State.CLOSED || calls < MIN_CALLS) {
            return;
        }
        if (failed * 2 >= calls) {
            open(OPEN_MILLIS, false);
        } else if (failed + busy == calls) {
            open(failed == 0 ? busyRest : OPEN_MILLIS, failed == 0);
        }
    }

    private void record(byte outcome) {
        if (calls == WINDOW) {
            forget(outcomes[next]);
        } else {
            calls++;
        }
        outcomes[next] = outcome;
        if (outcome == FAILURE) {
            failed++;
        } else if (outcome == BUSY) {
            busy++;
        }
        next = (next + 1) % WINDOW;
    }

    private void forget(byte outcome) {
        if (outcome == FAILURE) {
            failed--;
        } else if (outcome == BUSY) {
            busy--;
        }
    }

    private void open(long millis, boolean becauseBusy) {
        state = State.OPEN;
        openedAt = clock.getAsLong();
        openMillis = millis;
        openedBusy = becauseBusy;
        probe = null;
    }

    private void reset() {
        state = State.CLOSED;
        calls = 0;
        next = 0;
        failed = 0;
        busy = 0;
        probe = null;
        openedBusy = false;
        openMillis = OPEN_MILLIS;
        java.util.Arrays.fill(outcomes, SUCCESS);
    }
}
