package dev.fundament.config;

/**
 * The audit trail.
 *
 * @param payloads        whether to keep the full prompt and answer, encrypted per data subject; default false
 * @param payloadDays     how long kept payloads live; default 30
 * @param metadataDays    how long records live; default 400, at least 183 (six months, EU AI Act Art. 19/26)
 * @param checkpointEvery seconds between signed checkpoints of the chain; default 10
 * @param signingKey      Ed25519 private key (PKCS#8, base64) or a secret reference to it; default: generated
 *                        once and kept in the data directory
 * @param payloadKey      AES-256 master key (base64) wrapping the per-subject keys, or a secret reference;
 *                        default: generated once and kept in the data directory
 * @param kafka           where to stream records for the company's SIEM as well; default: nowhere
 */
public record AuditSpec(Boolean payloads, Integer payloadDays, Integer metadataDays, Integer checkpointEvery,
                        String signingKey, String payloadKey, KafkaSpec kafka) {

    public static final AuditSpec DEFAULTS = new AuditSpec(null, null, null, null, null, null, null);

    /**
     * @param bootstrapServers the brokers, such as {@code kafka-1:9092,kafka-2:9092}
     * @param topic            the topic records go to, one JSON object a message, keyed by instance and sequence
     */
    public record KafkaSpec(@Required String bootstrapServers, @Required String topic) {
    }

    public AuditSpec {
        payloads = payloads != null ? payloads : Boolean.FALSE;
        payloadDays = payloadDays != null ? payloadDays : 30;
        metadataDays = metadataDays != null ? metadataDays : 400;
        checkpointEvery = checkpointEvery != null ? checkpointEvery : 10;
    }
}
