package dev.fundament.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit for the ledger: requests hand their entry to one writer thread, which takes everything
 * queued (up to {@value #MAX_BATCH} entries), stores it in one transaction and only then completes the
 * requests' futures. Under load one commit serves many requests; when idle a request waits for about
 * one commit. An entry whose batch fails is retried with backoff and its request waits: a response is
 * never released before its entry is committed.
 */
final class LedgerWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);
    static final int MAX_BATCH = 500;

    private record Pending(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    private final LedgerStore store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    LedgerWriter(LedgerStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("fundament-ledger-writer").daemon(true).start(this::run);
    }

    CompletableFuture<Void> write(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(entry, done));
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commit(List<Pending> batch) throws InterruptedException {
        List<LedgerEntry> entries = new ArrayList<>(batch.size());
        batch.forEach(p -> entries.add(p.entry()));
        long backoff = 50;
        while (true) {
            try {
                store.insert(entries);
                batch.forEach(p -> p.done().complete(null));
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Cannot write %d ledger entries; retrying in %d ms (their responses wait)", entries.size(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
