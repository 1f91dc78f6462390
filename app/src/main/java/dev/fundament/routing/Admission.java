package dev.fundament.routing;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Admission control for one provider: at most {@code limit} calls at once (a GPU server's real
 * capacity); beyond that, callers wait in a bounded queue. The queue is fair: each team has its own
 * line and the lines are served in turn, so one team's burst cannot starve another; interactive
 * callers are served before batch callers. A full queue or a wait longer than {@code maxWait}
 * sheds the request at once with 503 {@code overloaded} and {@code Retry-After} (the route may then
 * try its next target). Memory stays bounded by the queue size.
 */
public final class Admission {

    /** Who is asking, for fair share and priority. */
    public record Ticket(String team, boolean batch) {
        public static final Ticket ANONYMOUS = new Ticket(null, false);
    }

    /** A granted slot; release it exactly once when the call ends. */
    public interface Permit {
        void release();
    }

    private static final Permit NONE = () -> { };

    private final String provider;
    private final int limit;
    private final int maxQueue;
    private final long maxWaitMillis;
    private final Map<String, ArrayDeque<CompletableFuture<Permit>>> interactive = new LinkedHashMap<>();
    private final Map<String, ArrayDeque<CompletableFuture<Permit>>> batch = new LinkedHashMap<>();
    private int inFlight;
    private int queued;

    /** @param limit at most this many calls at once; 0 for no limit */
    public Admission(String provider, int limit, int maxQueue, long maxWaitMillis) {
        this.provider = provider;
        this.limit = limit;
        this.maxQueue = maxQueue;
        this.maxWaitMillis = maxWaitMillis;
    }

    public static Admission unlimited(String provider) {
        return new Admission(provider, 0, 0, 0);
    }

    /** @return a permit now, a permit once a slot frees up, or an {@code overloaded} failure */
    public Uni<Permit> acquire(Ticket ticket) {
        if (limit <= 0) {
            return Uni.createFrom().item(NONE);
        }
        CompletableFuture<Permit> waiting;
        synchronized (this) {
            if (inFlight < limit && queued == 0) {
                inFlight++;
                return Uni.createFrom().item(permit());
            }
            if (queued >= maxQueue) {
                return Uni.createFrom().failure(shed("its queue is full (" + maxQueue + " waiting)"));
            }
            waiting = new CompletableFuture<>();
            String team = ticket.team() == null ? "" : ticket.team();
            (ticket.batch() ? batch : interactive).computeIfAbsent(team, k -> new ArrayDeque<>()).addLast(waiting);
            queued++;
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Permit> granted = Uni.createFrom().completionStage(waiting)
                .ifNoItem().after(java.time.Duration.ofMillis(maxWaitMillis)).recoverWithUni(() -> {
                    if (withdraw(waiting)) {
                        return Uni.createFrom().failure(shed("no slot freed up within " + maxWaitMillis + " ms"));
                    }
                    // granted just as the wait ran out: take the permit after all
                    return Uni.createFrom().completionStage(waiting);
                });
        // the caller continues on its own event loop, not on the thread that freed the slot
        return context == null ? granted : granted.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    private Permit permit() {
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (this) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
            }
            handOver();
        };
    }

    /** A slot is free: give it to the next waiter, interactive lines first, each line in turn. */
    private void handOver() {
        CompletableFuture<Permit> next;
        synchronized (this) {
            next = take(interactive);
            if (next == null) {
                next = take(batch);
            }
            if (next == null) {
                inFlight--;
                return;
            }
            queued--;
        }
        if (!next.complete(permit())) {
            handOver(); // it had given up waiting; the slot goes on
        }
    }

    /** Takes the head of the first non-empty line and moves that line to the back: round robin. */
    private static CompletableFuture<Permit> take(Map<String, ArrayDeque<CompletableFuture<Permit>>> lines) {
        Iterator<Map.Entry<String, ArrayDeque<CompletableFuture<Permit>>>> it = lines.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, ArrayDeque<CompletableFuture<Permit>>> line = it.next();
            CompletableFuture<Permit> head = line.getValue().pollFirst();
            it.remove();
            if (!line.getValue().isEmpty()) {
                lines.put(line.getKey(), line.getValue());
            }
            if (head != null) {
                return head;
            }
        }
        return null;
    }

    /** @return whether the waiter was still in a line (and is now out of it) */
    private synchronized boolean withdraw(CompletableFuture<Permit> waiting) {
        for (Map<String, ArrayDeque<CompletableFuture<Permit>>> lines : java.util.List.of(interactive, batch)) {
            for (Iterator<Map.Entry<String, ArrayDeque<CompletableFuture<Permit>>>> it = lines.entrySet().iterator(); it.hasNext(); ) {
                ArrayDeque<CompletableFuture<Permit>> line = it.next().getValue();
                if (line.remove(waiting)) {
                    queued--;
                    if (line.isEmpty()) {
                        it.remove();
                    }
                    waiting.cancel(false);
                    return true;
                }
            }
        }
        return false;
    }

    private GatewayException shed(String why) {
        long seconds = Math.max(1, maxWaitMillis / 1000);
        return new GatewayException(ErrorKind.OVERLOADED, "Provider '" + provider + "' is at capacity (" + limit
                + " calls at once) and " + why + "; retry after " + seconds + " s.", null,
                Map.of("Retry-After", String.valueOf(seconds)));
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queued;
    }

    public int limit() {
        return limit;
    }
}
