package dev.fundament.usage;

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
 * The ledger's write-ahead journal: how a request's record becomes durable in a fraction of a
 * millisecond while the database stays the store of record.
 *
 * <p>Requests hand their entry to the journal thread, which takes everything queued (group commit),
 * appends it as JSON lines to the current segment file under {@code <data>/ledger-journal} (created
 * full-size and zero-filled, so the records end at the first zero byte), forces it to disk ({@code fdatasync}) and only then completes the requests' futures: an answer is released
 * once its record is on disk. The store thread then inserts the same batches into the database and
 * deletes a segment once all its entries are stored. At start-up, segments left by a crash are
 * replayed into the database before anything is served; the store skips ids it already has, so a
 * record is stored exactly once. Readers call {@link #awaitStored()} to see every acknowledged record.
 */
final class LedgerJournal implements AutoCloseable {

    static final int MAX_BATCH = 500;
    static final long SEGMENT_BYTES = 8L << 20;
    private static final Logger LOG = Logger.getLogger(LedgerJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SUFFIX = ".jsonl";

    private record Pending(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    private record Journaled(long segment, List<LedgerEntry> entries) {
    }

    private final Path dir;
    private final LedgerStore store;
    private final BlockingQueue<Pending> incoming = new LinkedBlockingQueue<>();
    private final BlockingQueue<Journaled> toStore = new LinkedBlockingQueue<>();
    private final Thread journalThread;
    private final Thread storeThread;
    private final Object progress = new Object();
    private long journaledCount;
    private long storedCount;
    private volatile boolean running = true;
    private long segment;
    private FileChannel channel;
    private long position;

    LedgerJournal(Path dir, LedgerStore store) {
        this.dir = dir;
        this.store = store;
        try {
            Files.createDirectories(dir);
            segment = replay() + 1;
            channel = open(segment);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ledger journal in " + dir, e);
        }
        journalThread = Thread.ofPlatform().name("fundament-ledger-journal").daemon(true).start(this::journalLoop);
        storeThread = Thread.ofPlatform().name("fundament-ledger-store").daemon(true).start(this::storeLoop);
    }

    /** @return completes once the entry is on disk */
    CompletableFuture<Void> write(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        incoming.add(new Pending(entry, done));
        return done;
    }

    /** Blocks until every record acknowledged before the call is in the database (at most 30 s). */
    void awaitStored() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (progress) {
            long target = journaledCount;
            while (storedCount < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warnf("Ledger reads go ahead with %d records not yet in the database", target - storedCount);
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
            List<LedgerEntry> batch = new ArrayList<>(MAX_BATCH);
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int end = text.indexOf('\0');
            for (String line : (end < 0 ? text : text.substring(0, end)).split("\n")) {
                LedgerEntry entry = parse(line, file);
                if (entry != null) {
                    batch.add(entry);
                    replayed++;
                }
                if (batch.size() == MAX_BATCH) {
                    store.insert(batch);
                    batch.clear();
                }
            }
            store.insert(batch);
            Files.delete(file);
        }
        if (replayed > 0) {
            LOG.infof("Ledger journal: %d records from before the last stop checked into the database", replayed);
        }
        return last;
    }

    private static LedgerEntry parse(String line, Path file) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(line, LedgerEntry.class);
        } catch (IOException e) {
            // A line cut short by a crash belongs to a request that was never answered.
            LOG.warnf("Ledger journal %s: skipping an incomplete record", file.getFileName());
            return null;
        }
    }

    private void journalLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !incoming.isEmpty()) {
            try {
                Pending first = incoming.poll(100, TimeUnit.MILLISECONDS);
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

    private void append(List<Pending> batch) throws InterruptedException {
        StringBuilder text = new StringBuilder(batch.size() * 600);
        List<LedgerEntry> entries = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                text.append(JSON.writeValueAsString(p.entry())).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            entries.add(p.entry());
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
                LOG.errorf(e, "Cannot write %d ledger records to the journal; retrying in %d ms (their responses wait)",
                        batch.size(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
                bytes.rewind();
                reopen();
            }
        }
        synchronized (progress) {
            journaledCount += batch.size();
        }
        toStore.add(new Journaled(segment, entries));
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
        while (running || !toStore.isEmpty() || journalThread.isAlive()) {
            Journaled batch;
            try {
                batch = toStore.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batch == null) {
                continue;
            }
            storeWithRetry(batch.entries());
            synchronized (progress) {
                storedCount += batch.entries().size();
                progress.notifyAll();
            }
            // Batches arrive in journal order: every segment before this batch's is fully stored.
            for (; lowestLive < batch.segment(); lowestLive++) {
                delete(lowestLive);
            }
        }
    }

    private void storeWithRetry(List<LedgerEntry> entries) {
        long backoff = 50;
        while (true) {
            try {
                store.insert(entries);
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Cannot store %d ledger records in the database; retrying in %d ms (they are safe in the journal)",
                        entries.size(), backoff);
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
            LOG.warnf("Ledger journal not cleaned up: %s (it is replayed at the next start)", e.getMessage());
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
            return files.filter(f -> f.getFileName().toString().startsWith("ledger-") && f.toString().endsWith(SUFFIX))
                    .sorted(java.util.Comparator.comparingLong(LedgerJournal::number)).toList();
        }
    }

    private static String name(long number) {
        return "ledger-%08d%s".formatted(number, SUFFIX);
    }

    private static long number(Path file) {
        String n = file.getFileName().toString();
        return Long.parseLong(n.substring("ledger-".length(), n.length() - SUFFIX.length()));
    }
}
