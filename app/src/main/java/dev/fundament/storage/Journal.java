package dev.fundament.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A write-ahead journal: how a request's record (its ledger entry, its audit record) becomes durable
 * in a fraction of a millisecond while the database stays the store of record.
 *
 * <p>Requests hand their entry to the journal thread, which takes everything queued (group commit),
 * appends it as JSON lines to the current segment file in its directory, such as {@code <data>/ledger-journal} (created
 * full-size and zero-filled, so the records end at the first zero byte), forces it to disk ({@code fdatasync}) and only then completes the requests' futures: an answer is released
 * once its record is on disk. The store thread then inserts the same batches into the database and
 * deletes a segment once all its entries are stored. At start-up, segments left by a crash are
 * replayed into the database before anything is served; the store skips ids it already has, so a
 * record is stored exactly once. Readers call {@link #awaitStored()} to see every acknowledged record.
 *
 * <p>A failure to store is retried until it passes, unless the database refuses a record for good (a
 * value too long for its column, a violated constraint): that record is set aside in the journal's
 * {@link Quarantine} (a dead-letter file, a metric, a log line), or replaced by the store's
 * {@linkplain Store#refused stand-in}, and the records after it go on. One bad record never holds
 * back the others, a stop or a start never waits for it.
 */
public final class Journal<T> implements AutoCloseable {

    /** Where journaled records end up. */
    public interface Store<T> {
        /** Stores records that may already be stored (a replay after a crash): must skip those. */
        void insert(List<T> records);

        /** Stores records journaled by this run, never offered before; the fast path. */
        default void insertNew(List<T> records) {
            insert(records);
        }

        /** @return the record's id, named in the log when the database refuses the record */
        default String id(T record) {
            return "#" + Integer.toHexString(System.identityHashCode(record));
        }

        /**
         * Told when the database refused a record for good and the record was set aside.
         *
         * @return a record to store in its place (the audit chain keeps the place sealed this way), or
         *         {@code null} to leave the place empty
         */
        default T refused(T record, String reason) {
            return null;
        }
    }

    static final int MAX_BATCH = 500;
    /** The most records journaled but not yet in the database before journaling waits. */
    static final int MAX_BACKLOG = 20_000;
    /** The most records one database transaction takes. */
    static final int STORE_BATCH = 2_000;
    static final long SEGMENT_BYTES = 8L << 20;
    /**
     * How long the store thread waits for more records before a database transaction, unless a reader
     * waits for it: records are already durable in the journal, and batching them measurably cuts the
     * database's cost per record (each H2 commit writes pages; see docs/benchmarks.md).
     */
    static final long STORE_LINGER_MILLIS = 20;
    private static final Logger LOG = Logger.getLogger(Journal.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SUFFIX = ".jsonl";
    private final String prefix;
    private final java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();
    private final Class<T> type;
    private final java.util.function.UnaryOperator<T> stamp;
    private final Quarantine quarantine;

    private record Pending<T>(T entry, CompletableFuture<Void> done) {
    }

    private record Journaled<T>(long segment, List<T> entries) {
    }

    private final Path dir;
    private final Store<T> store;
    private final BlockingQueue<Pending<T>> incoming = new LinkedBlockingQueue<>();
    private final BlockingQueue<Journaled<T>> toStore = new LinkedBlockingQueue<>();
    private final Thread journalThread;
    private final Thread storeThread;
    private final Object progress = new Object();
    private long journaledCount;
    private long storedCount;
    private volatile boolean running = true;
    private long segment;
    private FileChannel channel;
    private long position;

    /**
     * @param prefix segment file names start with it ({@code ledger}, {@code audit})
     * @param stamp  applied to each record in the journal thread, in order, just before it is written
     *               (the audit trail chains records here); identity for most
     */
    public Journal(Path dir, String prefix, Class<T> type, Store<T> store, java.util.function.UnaryOperator<T> stamp) {
        this(dir, prefix, type, store, stamp, io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    /** @param registry where the count of refused records is kept ({@code fundament.journal.rejected}) */
    public Journal(Path dir, String prefix, Class<T> type, Store<T> store, java.util.function.UnaryOperator<T> stamp,
                   io.micrometer.core.instrument.MeterRegistry registry) {
        this.dir = dir;
        this.quarantine = new Quarantine(dir, prefix, registry);
        this.prefix = prefix;
        this.type = type;
        this.stamp = stamp;
        this.store = store;
        try {
            Files.createDirectories(dir);
            segment = replay() + 1;
            channel = open(segment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the " + prefix + " journal in " + dir, e);
        }
        journalThread = Thread.ofPlatform().name("fundament-" + prefix + "-journal").daemon(true).start(this::journalLoop);
        storeThread = Thread.ofPlatform().name("fundament-" + prefix + "-store").daemon(true).start(this::storeLoop);
    }

    /** @return completes once the entry is on disk */
    public CompletableFuture<Void> write(T entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        incoming.add(new Pending<>(entry, done));
        return done;
    }

    /** Blocks until every record acknowledged before the call is in the database (at most 30 s). */
    public void awaitStored() {
        readers.incrementAndGet();
        try {
            awaitStoredNow();
        } finally {
            readers.decrementAndGet();
        }
    }

    private void awaitStoredNow() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (progress) {
            long target = journaledCount;
            while (storedCount < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warnf("%s reads go ahead with %d records not yet in the database", prefix, target - storedCount);
                    return;
                }
                try {
                    progress.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Puts what earlier runs journaled but did not store into the database; returns the last segment number. */
    private long replay() throws IOException {
        List<Path> segments = segments();
        long last = 0;
        int replayed = 0;
        for (Path file : segments) {
            last = Math.max(last, number(file));
            List<T> batch = new ArrayList<>(MAX_BATCH);
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int end = text.indexOf('\0');
            for (String line : (end < 0 ? text : text.substring(0, end)).split("\n")) {
                T entry = parse(line, file);
                if (entry != null) {
                    batch.add(entry);
                    replayed++;
                }
                if (batch.size() == MAX_BATCH) {
                    replayBatch(batch);
                    batch.clear();
                }
            }
            replayBatch(batch);
            Files.delete(file);
        }
        if (replayed > 0) {
            LOG.infof("%s journal: %d records from before the last stop checked into the database", prefix, replayed);
        }
        return last;
    }

    /** A replayed batch: records the database refuses are set aside; any other failure stops the start. */
    private void replayBatch(List<T> batch) {
        try {
            store.insert(batch);
        } catch (RuntimeException e) {
            if (Quarantine.rejection(e) == null || !setAsideRefused(batch).isEmpty()) {
                throw e;
            }
        }
    }

    private T parse(String line, Path file) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(line, type);
        } catch (IOException e) {
            // A line cut short by a crash belongs to a request that was never answered.
            LOG.warnf("%s journal %s: skipping an incomplete record", prefix, file.getFileName());
            return null;
        }
    }

    private void journalLoop() {
        List<Pending<T>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !incoming.isEmpty()) {
            try {
                Pending<T> first = incoming.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                incoming.drainTo(batch, MAX_BATCH - 1);
                append(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void append(List<Pending<T>> batch) throws InterruptedException {
        StringBuilder text = new StringBuilder(batch.size() * 600);
        List<T> entries = new ArrayList<>(batch.size());
        for (Pending<T> p : batch) {
            T stamped = stamp.apply(p.entry());
            try {
                text.append(JSON.writeValueAsString(stamped)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            entries.add(stamped);
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        long backoff = 50;
        while (true) {
            try {
                if (position + bytes.remaining() > SEGMENT_BYTES && position > 0) {
                    channel.close();
                    channel = open(++segment);
                }
                long at = position;
                while (bytes.hasRemaining()) {
                    at += channel.write(bytes, at);
                }
                channel.force(false);
                position = at;
                break;
            } catch (IOException e) {
                LOG.errorf(e, "Cannot write %d %s records to the journal; retrying in %d ms (their responses wait)",
                        batch.size(), prefix, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
                bytes.rewind();
                reopen();
            }
        }
        synchronized (progress) {
            journaledCount += batch.size();
            // Backpressure: when the database falls this far behind, journaling waits for it, so memory stays bounded
            // and what is acknowledged is what the database sustains.
            while (journaledCount - storedCount > MAX_BACKLOG && storeThread != null && storeThread.isAlive()) {
                progress.wait(100);
            }
        }
        toStore.add(new Journaled<>(segment, entries));
        batch.forEach(p -> p.done().complete(null));
    }

    private void reopen() {
        try {
            channel.close();
            channel = open(++segment);
        } catch (IOException e) {
            LOG.debugf("journal segment %d cannot be opened yet: %s", segment, e.getMessage());
        }
    }

    private void storeLoop() {
        long lowestLive = segment;
        List<Journaled<T>> batches = new ArrayList<>();
        while (running || !toStore.isEmpty() || journalThread.isAlive()) {
            Journaled<T> first;
            try {
                first = toStore.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            // Everything journaled meanwhile, and for a short while after, goes into the same database
            // transaction: a commit costs the database a page write, so fewer, larger ones carry the load.
            batches.add(first);
            int size = first.entries().size();
            long lingerUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STORE_LINGER_MILLIS);
            while (size < STORE_BATCH) {
                Journaled<T> next = toStore.poll();
                if (next == null) {
                    long left = lingerUntil - System.nanoTime();
                    if (left <= 0 || !running || readers.get() > 0) {
                        break;
                    }
                    try {
                        next = toStore.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (next == null) {
                        break;
                    }
                }
                batches.add(next);
                size += next.entries().size();
            }
            List<T> entries = new ArrayList<>(size);
            batches.forEach(b -> entries.addAll(b.entries()));
            storeWithRetry(entries, false);
            synchronized (progress) {
                storedCount += size;
                progress.notifyAll();
            }
            // Batches arrive in journal order: every segment before the last one's is fully stored.
            for (; lowestLive < batches.getLast().segment(); lowestLive++) {
                delete(lowestLive);
            }
            batches.clear();
        }
    }

    private void storeWithRetry(List<T> entries, boolean again) {
        long backoff = 50;
        boolean retry = again;
        List<T> left = entries;
        while (true) {
            try {
                if (retry) {
                    store.insert(left);
                } else {
                    store.insertNew(left);
                }
                return;
            } catch (RuntimeException e) {
                retry = true; // part of a failed attempt may have been stored after all
                if (Quarantine.rejection(e) != null) {
                    left = setAsideRefused(left);
                    if (left.isEmpty()) {
                        return;
                    }
                }
                LOG.errorf(e, "Cannot store %d %s records in the database; retrying in %d ms (they are safe in the journal)",
                        left.size(), prefix, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /**
     * The database refused a batch for good: store its records one at a time, so only the record it
     * refuses is set aside (or replaced by its stand-in). Records already stored are skipped.
     *
     * @return the records not yet stored because the database failed in a way that may pass (retry
     *         them), else empty
     */
    private List<T> setAsideRefused(List<T> entries) {
        List<T> left = new ArrayList<>(entries);
        while (!left.isEmpty()) {
            T record = left.getFirst();
            try {
                store.insert(List.of(record));
                left.removeFirst();
            } catch (RuntimeException e) {
                String reason = Quarantine.rejection(e);
                if (reason == null) {
                    return left;
                }
                quarantine.put(store.id(record), record, reason);
                T standIn = null;
                try {
                    standIn = store.refused(record, reason);
                } catch (RuntimeException hook) {
                    LOG.warnf("%s record %s set aside; its follow-up failed: %s", prefix, store.id(record), hook.getMessage());
                }
                if (standIn != null) {
                    left.set(0, standIn);
                } else {
                    left.removeFirst();
                }
            }
        }
        return left;
    }

    /** Journals and stores what is queued, then stops; a clean stop leaves no segment behind. */
    @Override
    public void close() {
        running = false;
        try {
            journalThread.join(10_000);
            storeThread.join(30_000);
            channel.close();
            if (!storeThread.isAlive() && toStore.isEmpty()) {
                for (Path file : segments()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warnf("%s journal not cleaned up: %s (it is replayed at the next start)", prefix, e.getMessage());
        }
    }

    /**
     * Opens a new segment, filled with zeros to its full size up front: then forcing an append writes
     * data blocks only, not the file's grown size as well, which halves the cost of each force.
     */
    private FileChannel open(long number) throws IOException {
        Path file = dir.resolve(name(number));
        FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < SEGMENT_BYTES; at += 1 << 20) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                c.write(zeros, at + zeros.position());
            }
        }
        c.force(true);
        position = 0;
        return c;
    }

    private void delete(long number) {
        try {
            Files.deleteIfExists(dir.resolve(name(number)));
        } catch (IOException e) {
            LOG.warnf("Cannot delete stored journal segment %s: %s", name(number), e.getMessage());
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix + "-") && f.toString().endsWith(SUFFIX))
                    .sorted(java.util.Comparator.comparingLong(this::number)).toList();
        }
    }

    private String name(long number) {
        return "%s-%08d%s".formatted(prefix, number, SUFFIX);
    }

    private long number(Path file) {
        String n = file.getFileName().toString();
        return Long.parseLong(n.substring(prefix.length() + 1, n.length() - SUFFIX.length()));
    }
}
