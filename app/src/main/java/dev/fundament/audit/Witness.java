package dev.fundament.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checkpoints kept where the database cannot rewrite them: {@code <data>/audit-witness.log}, an
 * append-only file with one line per signed checkpoint ({@code {"instance", "seq", "hash", "at",
 * "signature", "public_key"}}, the same signature as in the database), forced to disk.
 *
 * <p>Why: checkpoints in the database guard the chain only against someone who cannot also change
 * the checkpoints. Whoever deletes the newest records together with the newest checkpoint, rewrites
 * the chain and deletes every checkpoint, or empties the tables leaves a chain that is consistent in
 * itself. The witness remembers how far the chain reached ({@code seq}: a chain is numbered 1, 2, 3 ...
 * without gaps, so {@code seq} is the count of records it ever held) and what its record there hashed
 * to; {@link AuditVerifier} holds the database's chain against every witnessed line. Records written
 * after the last checkpoint are not yet witnessed; {@code audit.checkpoint_every} bounds that window.
 * With a Kafka export configured, each checkpoint is also sent to the topic, out of reach of this
 * host altogether.
 */
final class Witness {

    static final String FILE = "audit-witness.log";
    private static final Logger LOG = Logger.getLogger(Witness.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    Witness(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /** Appends a signed checkpoint and forces it to disk. */
    synchronized void append(Checkpoint k) {
        ObjectNode line = JSON.createObjectNode().put("instance", k.instance()).put("seq", k.seq()).put("hash", k.hash())
                .put("at", k.at().toString()).put("signature", k.signature()).put("public_key", k.publicKey());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot witness the audit checkpoint at record " + k.seq() + " in " + file, e);
        }
    }

    /**
     * @return every witnessed checkpoint, oldest first; a line that cannot be read (one torn by a crash
     *         while it was appended) is skipped with a warning
     */
    List<Checkpoint> read() {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(text);
                    out.add(new Checkpoint(n.get("instance").asText(), n.get("seq").asLong(), n.get("hash").asText(),
                            Instant.parse(n.get("at").asText()), n.get("signature").asText(), n.get("public_key").asText()));
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("%s line %d cannot be read; it is skipped", file, number);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
