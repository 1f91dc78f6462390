package dev.fundament.usage;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Counters for fixed one-minute windows. A charge is all-or-nothing over the list: either every counter
 * takes its amount and stays within its limit, or none changes. That is what makes a limit exact: N
 * parallel requests against a limit of N-1 admit exactly N-1, on one instance or many.
 *
 * <p>Counter names carry their window, so a counter from an old window is never consulted again;
 * implementations drop them after two minutes.
 */
public interface LimitCounters extends AutoCloseable {

    Uni<Admission> tryAcquire(List<Charge> charges);

    /** Adds the amounts (negative ones give back) without checking limits: settling a reservation. */
    Uni<Void> adjust(List<Charge> charges);

    @Override
    default void close() {
    }
}
