package dev.fundament.retrieval.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.retrieval.ingest.SourceContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Debezium's offsets, kept in the change-capture source's cursor instead of a file or a Kafka topic,
 * so the position in the database's log is stored where the documents are, by the same store, and a
 * source moved to another instance resumes where it was.
 *
 * <p>The engine writes offsets here only when it commits them: with {@code OffsetCommitPolicy.always()}
 * that is at the end of every batch, after the batch's documents were reported and each record was
 * marked processed. {@link #set} saves the cursor before it returns, on the committing thread, so the
 * engine tells PostgreSQL to release the WAL (and acknowledges the replication slot's position) only
 * for changes whose documents are stored. The cursor is a JSON object of the engine's own serialised
 * keys and values: <code>{"offsets":{"[\"slot\",{\"server\":\"slot\"}]":"{\"lsn\":...}"}}</code>.
 *
 * <p>Public with a public constructor because Debezium creates it by class name
 * ({@code offset.storage}), and a class name cannot carry the {@link SourceContext}: the source binds
 * its context under a random id ({@link #bind}), passes the id as the engine property {@value #BINDING},
 * and unbinds when its run ends. Not for use by anything else.
 */
public final class CursorOffsetStore implements OffsetBackingStore {

    static final String BINDING = "fundament.cursor.binding";
    private static final Map<String, SourceContext> BOUND = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Map<ByteBuffer, ByteBuffer> data = new HashMap<>();
    private SourceContext context;

    /** A context bound for one engine; closing unbinds it. */
    record Binding(String id) implements AutoCloseable {
        @Override
        public void close() {
            BOUND.remove(id);
        }
    }

    static Binding bind(SourceContext context) {
        String id = UUID.randomUUID().toString();
        BOUND.put(id, context);
        return new Binding(id);
    }

    public CursorOffsetStore() {
    }

    @Override
    public void configure(WorkerConfig config) {
        String id = config.originalsStrings().get(BINDING);
        context = id == null ? null : BOUND.get(id);
        if (context == null) {
            throw new IllegalStateException("no change-capture source is bound to this offset store (" + BINDING + "=" + id + ")");
        }
    }

    @Override
    public synchronized void start() {
        data = decode(context.cursor());
    }

    @Override
    public void stop() {
    }

    @Override
    public synchronized Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
        for (ByteBuffer key : keys) {
            out.put(key, data.get(key));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        try {
            synchronized (this) {
                Map<ByteBuffer, ByteBuffer> next = new HashMap<>(data);
                values.forEach((key, value) -> {
                    if (value == null) {
                        next.remove(key);
                    } else {
                        next.put(key, value);
                    }
                });
                context.saveCursor(encode(next));
                data = next;
            }
        } catch (RuntimeException e) {
            if (callback != null) {
                callback.onCompletion(e, null);
            }
            return CompletableFuture.failedFuture(e);
        }
        if (callback != null) {
            callback.onCompletion(null, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Set<Map<String, Object>> connectorPartitions(String connectorName) {
        Set<Map<String, Object>> partitions = new HashSet<>();
        for (ByteBuffer key : data.keySet()) {
            try {
                JsonNode node = JSON.readTree(text(key));
                if (node.isArray() && node.size() == 2 && connectorName.equals(node.get(0).asText())) {
                    partitions.add(JSON.convertValue(node.get(1), JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
                }
            } catch (JsonProcessingException e) {
                // not a key the engine wrote
            }
        }
        return partitions;
    }

    static String encode(Map<ByteBuffer, ByteBuffer> offsets) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entries = root.putObject("offsets");
        offsets.forEach((key, value) -> entries.put(text(key), text(value)));
        return root.toString();
    }

    static Map<ByteBuffer, ByteBuffer> decode(String cursor) {
        Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
        if (cursor == null || cursor.isBlank()) {
            return out;
        }
        JsonNode entries;
        try {
            entries = JSON.readTree(cursor).get("offsets");
        } catch (JsonProcessingException e) {
            entries = null;
        }
        if (entries == null || !entries.isObject()) {
            throw new IllegalStateException("the saved cursor is not a change-capture position: " + cursor);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(bytes(e.getKey()), bytes(e.getValue().asText()));
        }
        return out;
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
