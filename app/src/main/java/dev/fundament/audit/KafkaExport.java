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
 * is down delays nothing and is logged.
 */
final class KafkaExport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaExport.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final KafkaProducer<String, String> producer;
    private final String topic;

    KafkaExport(AuditSpec.KafkaSpec spec, String instance) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fundament-audit-" + instance);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
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
                        LOG.warnf("Audit record %s:%d not streamed to Kafka topic %s: %s", r.instance(), r.seq(), topic,
                                failure.getMessage());
                    }
                });
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Audit record %s:%d not streamed to Kafka: %s", r.instance(), r.seq(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
