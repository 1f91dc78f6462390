package dev.fundament.routing;

/**
 * A provider's state as its active health check sees it, shared by all its targets. Without a check
 * it stays {@link State#UNCHECKED} and never keeps a target out. {@value #FAILURES_TO_DOWN} failed
 * checks in a row make it {@link State#DOWN} (one lost probe is not an outage), and while it is down
 * the provider's targets are skipped like targets with an open circuit breaker; one passed check
 * makes it {@link State#UP} again.
 */
public final class Health {

    /** What the last check said. */
    public enum State { UNCHECKED, UP, DOWN }

    static final int FAILURES_TO_DOWN = 2;

    private volatile State state = State.UNCHECKED;
    private int failuresInARow;
    private volatile String lastError;
    private volatile long checkedAt;

    public State state() {
        return state;
    }

    /** @return whether the provider may be called */
    public boolean up() {
        return state != State.DOWN;
    }

    /** @return why the last check failed, or null */
    public String lastError() {
        return lastError;
    }

    /** @return when the last check ended (epoch millis), 0 before the first */
    public long checkedAt() {
        return checkedAt;
    }

    public synchronized void passed() {
        failuresInARow = 0;
        lastError = null;
        checkedAt = System.currentTimeMillis();
        state = State.UP;
    }

    /** @return whether this failure took the provider down */
    public synchronized boolean failed(String why) {
        lastError = why;
        checkedAt = System.currentTimeMillis();
        if (++failuresInARow >= FAILURES_TO_DOWN && state != State.DOWN) {
            state = State.DOWN;
            return true;
        }
        return false;
    }
}
