package dev.fundament.routing;

import java.util.function.LongSupplier;

/**
 * One target's circuit breaker. It watches the last {@value #WINDOW} calls; when at least
 * {@value #MIN_CALLS} of them are known and half or more failed (upstream errors that allow fallback,
 * never a caller's mistake), it opens: the target is skipped for {@value #OPEN_MILLIS} ms. Then one
 * probe call is let through (half-open); its success closes the breaker, its failure opens it again.
 * Thread-safe; cheap enough for every call.
 */
public final class CircuitBreaker {

    static final int WINDOW = 20;
    static final int MIN_CALLS = 10;
    static final long OPEN_MILLIS = 15_000;

    /** Where a breaker stands. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final LongSupplier clock;
    private final boolean enabled;
    private final boolean[] failures = new boolean[WINDOW];
    private int calls;
    private int next;
    private int failed;
    private State state = State.CLOSED;
    private long openedAt;
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
        if (state == State.OPEN && clock.getAsLong() - openedAt >= OPEN_MILLIS) {
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
        record(false);
    }

    public synchronized void failure() {
        if (state == State.HALF_OPEN) {
            open();
            return;
        }
        record(true);
        if (enabled && state == State.CLOSED && calls >= MIN_CALLS && failed * 2 >= calls) {
            open();
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= OPEN_MILLIS) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /** @return the share of failed calls in the window, 0 to 1 */
    public synchronized double failureRate() {
        return calls == 0 ? 0 : (double) failed / calls;
    }

    private void record(boolean failure) {
        if (calls == WINDOW) {
            if (failures[next]) {
                failed--;
            }
        } else {
            calls++;
        }
        failures[next] = failure;
        if (failure) {
            failed++;
        }
        next = (next + 1) % WINDOW;
    }

    private void open() {
        state = State.OPEN;
        openedAt = clock.getAsLong();
        probing = false;
    }

    private void reset() {
        state = State.CLOSED;
        calls = 0;
        next = 0;
        failed = 0;
        probing = false;
        java.util.Arrays.fill(failures, false);
    }
}
