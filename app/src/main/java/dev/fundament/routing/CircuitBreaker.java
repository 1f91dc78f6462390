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
 * failure or a 429 opens it again. Thread-safe; cheap enough for every call.
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
    private boolean probing;

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

    /** @return whether a call may go to this target now; in half-open state, only one probe at a time */
    public synchronized boolean allows() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openMillis) {
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.HALF_OPEN) {
            if (probing) {
                return false;
            }
            probing = true;
            return true;
        }
        return state == State.CLOSED;
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
        probing = false;
    }

    private void reset() {
        state = State.CLOSED;
        calls = 0;
        next = 0;
        failed = 0;
        busy = 0;
        probing = false;
        openedBusy = false;
        openMillis = OPEN_MILLIS;
        java.util.Arrays.fill(outcomes, SUCCESS);
    }
}
