package dev.fundament.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Where a journal puts the records its database refuses: a dead-letter file beside the journal's
 * segments ({@code <journal dir>/rejected.jsonl}, one JSON line per record: when, why, and the record),
 * a counter {@code fundament.journal.rejected{journal}} and one WARN line per record that names its
 * id and the reason, never its content.
 *
 * <p>Why: a record the database refuses (a value longer than its column, a character it cannot
 * encode, a violated constraint) is refused again on every retry. Retried forever, it held back every
 * later record, made reads wait, stop take minutes and the next start fail. A refusal is told apart
 * from a passing failure (the database down, a lost connection, a timeout), which is still retried,
 * by the SQL state: class 22 (data exception) and 23 (integrity constraint) are the record's fault;
 * everything else is the database's. A record that cannot even be bound (a missing required value
 * found before the database sees it) is refused too.
 */
final class Quarantine {

    static final String FILE = "rejected.jsonl";
    private static final Logger LOG = Logger.getLogger(Quarantine.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path file;
    private final String journal;
    private final Counter counter;

    Quarantine(Path dir, String journal, MeterRegistry registry) {
        this.file = dir.resolve(FILE);
        this.journal = journal;
        this.counter = Counter.builder("fundament.journal.rejected")
                .description("Journal records the database refused, set aside in the journal's rejected.jsonl")
                .tag("journal", journal).register(registry);
    }

    /**
     * @return why the database refuses this record for good, in words that hold no content; {@code null}
     *         when the failure may pass (retry it)
     */
    static String rejection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return rejection(sql);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NullPointerException || t instanceof IllegalArgumentException || t instanceof ClassCastException
                    || t instanceof ArithmeticException) {
                return "the record cannot be written (" + t.getClass().getSimpleName() + ")";
            }
        }
        return null;
    }

    private static String rejection(SQLException e) {
        // A batch failure carries the statement's own failure as its next exception (PostgreSQL).
        String state = e.getSQLState();
        if (e instanceof BatchUpdateException && e.getNextException() != null && e.getNextException().getSQLState() != null) {
            state = e.getNextException().getSQLState();
        }
        if (state == null || state.length() < 2) {
            return null;
        }
        return switch (state) {
            case "22001" -> "a value is longer than its column (SQL state 22001)";
            case "22021", "22P05" -> "a value holds a character the database cannot store (SQL state " + state + ")";
            case "22003" -> "a number is out of range (SQL state 22003)";
            case "23502" -> "a required value is missing (SQL state 23502)";
            case "23505" -> "a key is stored already (SQL state 23505)";
            default -> state.startsWith("22") ? "the database refuses a value (SQL state " + state + ")"
                    : state.startsWith("23") ? "the record violates a constraint (SQL state " + state + ")" : null;
        };
    }

    /** Appends the record to the dead-letter file and forces it to disk, then counts and logs it. */
    synchronized void put(String id, Object record, String reason) {
        ObjectNode line = JSON.createObjectNode();
        line.put("at", Instant.now().toString());
        line.put("journal", journal);
        line.put("reason", reason);
        line.set("record", JSON.valueToTree(record));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            LOG.errorf("Cannot add %s record %s to %s: %s; it is dropped", journal, id, file, e.getMessage());
        }
        counter.increment();
        LOG.warnf("The database refuses %s record %s: %s. It is set aside in %s and later records go on.", journal, id,
                reason, file);
    }

    Path file() {
        return file;
    }
}
