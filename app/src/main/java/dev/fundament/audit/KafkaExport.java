package dev.fundament.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fundament.config.AuditSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Streams stored audit records to a Kafka topic for the company's SIEM: one JSON object a message
 * (the record without its payload, as the export shows it), keyed {@code instance:seq}, sent with
 * idempotence and acknowledged by all replicas. The database stays the store of record; a broker that
 * is down delays nothing and is logged once per outage (when it starts, and when it ends with the
 * number of records not streamed), not once per record: without a broker, the client's reconnects
 * and a line per record once wrote 1,500 log lines in three minutes. The client reconnects with a
 * backoff growing to {@value #RECONNECT_BACKOFF_MAX_MS} ms, and its own connection warnings are
 * silenced in application.properties.
 */
final class KafkaExport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaExport.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    static final int RECONNECT_BACKOFF_MAX_MS = 30_000;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong missed = new java.util.concurrent.atomic.AtomicLong();

    KafkaExport(AuditSpec.KafkaSpec spec, String instance) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fundament-audit-" + instance);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "1000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, String.valueOf(RECONNECT_BACKOFF_MAX_MS));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = spec.topic();
    }

    void send(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            try {
                String json = JSON.writeValueAsString(JSON.valueToTree(r.withoutPayload()));
                producer.send(new ProducerRecord<>(topic, r.instance() + ":" + r.seq(), json), (meta, failure) -> {
                    if (failure != null) {
                        failed(r.instance() + ":" + r.seq(), failure);
                    } else {
                        recovered();
                    }
                });
            } catch (IOException | RuntimeException e) {
                failed(r.instance() + ":" + r.seq(), e);
            }
        }
    }

    /**
     * Sends a signed checkpoint to the same topic, keyed {@code instance:checkpoint:seq}, with
     * {@code "kind": "checkpoint"}: a witness of how far the chain reached that no one on this host
     * can take back.
     */
    void send(Checkpoint k) {
        String key = k.instance() + ":checkpoint:" + k.seq();
        var json = JSON.createObjectNode().put("kind", "checkpoint").put("instance", k.instance()).put("seq", k.seq())
                .put("hash", k.hash()).put("at", k.at().toString()).put("signature", k.signature())
                .put("public_key", k.publicKey());
        try {
            producer.send(new ProducerRecord<>(topic, key, json.toString()), (meta, failure) -> {
                if (failure != null) {
                    failed(key, failure);
                } else {
                    recovered();
                }
            });
        } catch (RuntimeException e) {
            failed(key, e);
        }
    }

    private void failed(String key, Throwable failure) {
        missed.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            LOG.warnf("Audit records are not reaching Kafka topic %s (first: %s): %s. Logged once until the export"
                    + " recovers; the database keeps every record.", topic, key, failure.getMessage());
        }
    }

    private void recovered() {
        if (failing.compareAndSet(true, false)) {
            LOG.infof("Audit export to Kafka topic %s recovered; %d records were not streamed (they are kept in the"
                    + " database).", topic, missed.getAndSet(0));
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
