package dev.fundament.retrieval;

import dev.fundament.config.LoadedConfig;
import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Pipeline;
import dev.fundament.retrieval.ingest.Progress;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceRun;
import dev.fundament.retrieval.source.Sources;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the connectors and keeps the index following the store.
 *
 * <p>Each source has its own thread: a polling source runs, then waits for its interval (or a
 * "sync now"); a streaming one runs until stopped. A source runs only while this instance holds its
 * lease in the store, so with several instances each source runs on exactly one of them and another
 * takes over within {@link #LEASE} when that one dies. A source that fails (its server unreachable)
 * records the error for health and the API and is retried at its next interval; the others go on.
 *
 * <p>One more thread polls the change log every {@link #FOLLOW_EVERY} and applies it to this
 * instance's index; after a burst of changes it merges the index's segments, so searches stay fast
 * after bulk loads.
 */
final class SourceScheduler {

    private static final Logger LOG = Logger.getLogger(SourceScheduler.class);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration FOLLOW_EVERY = Duration.ofMillis(250);
    /** Segments beyond which an idle index is merged. */
    static final int MERGE_ABOVE = 24;

    private final DocumentStore store;
    private final IndexFollower follower;
    private final HybridIndex index;
    private final Path base;
    private final Clock clock;
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fundament-index-follower");
        t.setDaemon(true);
        return t;
    });
    /** Leases are renewed on a thread of their own: a long catch-up or merge must not let them lapse. */
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fundament-source-leases");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopped;
    private int sinceMerge;

    SourceScheduler(DocumentStore store, IndexFollower follower, HybridIndex index, LoadedConfig config, Path base, Clock clock) {
        this.store = store;
        this.follower = follower;
        this.index = index;
        this.base = base;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::follow, 0, FOLLOW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        leases.scheduleWithFixedDelay(this::renewLeases, LEASE.toSeconds() / 3, LEASE.toSeconds() / 3, TimeUnit.SECONDS);
    }

    /** Runs a light task (reading the collections made through the API) every {@code period}. */
    void every(Duration period, Runnable task) {
        leases.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("Periodic collection task failed: %s", e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
        workers.values().forEach(Worker::stop);
        timer.shutdownNow();
        leases.shutdownNow();
        for (Worker w : workers.values()) {
            try {
                w.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void follow() {
        try {
            int applied = follower.poll();
            sinceMerge += applied;
            if (applied == 0 && sinceMerge > 0 && index.segments() > MERGE_ABOVE) {
                index.compact();
                sinceMerge = 0;
            }
        } catch (RuntimeException e) {
            LOG.warnf("The retrieval index could not follow the store: %s", e.getMessage());
        }
    }

    /** A run whose lease could not be renewed (another instance took over) is stopped. */
    private void renewLeases() {
        for (Worker w : workers.values()) {
            if (w.running != null) {
                try {
                    if (!store.lease(w.collection, w.spec.name(), instance, LEASE, clock.instant())) {
                        LOG.warnf("Lost the lease of source %s of collection %s; stopping its run", w.spec.name(), w.collection);
                        w.leaseLost = true;
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("Could not renew the lease of source %s of collection %s: %s", w.spec.name(), w.collection,
                            e.getMessage());
                }
            }
        }
    }

    void schedule(Collection c, Pipeline pipeline) {
        List<SourceSpec> sources = c.spec().sources();
        for (int i = 0; i < sources.size(); i++) {
            SourceSpec s = sources.get(i);
            Optional<Source> source;
            try {
                source = Sources.create(s, c.password(i), c.name(), base);
            } catch (RuntimeException e) {
                store.recordRun(c.name(), s.name(), e.getMessage(), clock.instant());
                continue;
            }
            if (source.isPresent()) {
                Worker w = new Worker(c.name(), s, source.get(), pipeline);
                workers.put(c.name() + "/" + s.name(), w);
                w.thread.start();
            }
        }
    }

    /** Stops a collection's sources and waits for their runs to end (at most 30 s). */
    void unschedule(String collection) {
        List<Worker> gone = new ArrayList<>();
        workers.entrySet().removeIf(e -> {
            if (e.getValue().collection.equals(collection)) {
                gone.add(e.getValue());
                return true;
            }
            return false;
        });
        gone.forEach(Worker::stop);
        for (Worker w : gone) {
            try {
                w.thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void runNow(String collection) {
        workers.values().stream().filter(w -> w.collection.equals(collection)).forEach(Worker::wake);
    }

    Progress progress(String collection, String source) {
        Worker w = workers.get(collection + "/" + source);
        if (w == null) {
            return null;
        }
        SourceRun run = w.running != null ? w.running : w.last;
        return run == null ? null : run.progress();
    }

    /** One source's thread. */
    private final class Worker implements Runnable {
        final String collection;
        final SourceSpec spec;
        final Source source;
        final Pipeline pipeline;
        final Thread thread;
        volatile SourceRun running;
        volatile SourceRun last;
        volatile boolean leaseLost;
        private volatile boolean stopping;
        private boolean wake;

        Worker(String collection, SourceSpec spec, Source source, Pipeline pipeline) {
            this.collection = collection;
            this.spec = spec;
            this.source = source;
            this.pipeline = pipeline;
            this.thread = new Thread(this, "fundament-source-" + collection + "-" + spec.name());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopping && !stopped) {
                if (store.lease(collection, spec.name(), instance, LEASE, clock.instant())) {
                    runOnce();
                }
                waitFor(source.streaming() ? Duration.ofSeconds(Math.min(30, spec.interval().toSeconds())) : spec.interval());
            }
            store.release(collection, spec.name(), instance);
        }

        private void runOnce() {
            leaseLost = false;
            SourceRun run = new SourceRun(pipeline, store, spec.name(), new LinkedHashSet<>(spec.readers()),
                    () -> stopping || stopped || leaseLost, clock);
            running = run;
            Throwable failure = null;
            try {
                source.run(run);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // a connector's library failing to load must not end the source's thread
                failure = e;
                LOG.warnf("Source %s of collection %s failed: %s", spec.name(), collection, e.getMessage());
            }
            try {
                run.finish(failure);
            } catch (RuntimeException e) {
                LOG.warnf("Source %s of collection %s could not record its run: %s", spec.name(), collection, e.getMessage());
            }
            last = run;
            running = null;
        }

        private synchronized void waitFor(Duration d) {
            long until = System.nanoTime() + d.toNanos();
            while (!wake && !stopping && !stopped) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    return;
                }
            }
            wake = false;
        }

        synchronized void wake() {
            wake = true;
            notifyAll();
        }

        synchronized void stop() {
            stopping = true;
            notifyAll();
        }
    }
}
