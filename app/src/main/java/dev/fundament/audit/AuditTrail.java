package dev.fundament.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fundament.config.AuditSpec;
import dev.fundament.config.Configuration;
import dev.fundament.identity.AdminAction;
import dev.fundament.storage.Journal;
import dev.fundament.storage.RecordRefused;
import dev.fundament.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit trail of this instance. Records are handed to a write-ahead journal whose thread chains
 * them (sequence number, previous hash, hash) and encrypts kept payloads, so the request path only
 * waits for the journal's disk write; the database receives them right after. A timer signs a
 * checkpoint of the chain every {@code audit.checkpoint_every} seconds and enforces retention.
 *
 * <p>A record the database refuses for good (a value longer than its column) is not lost and does not
 * stop the chain: it is set aside in {@code <data>/audit-journal/rejected.jsonl} and a signed
 * {@link RejectedRecord} takes its place in the chain, so the chain stays continuous and verification
 * shows where and why.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The newest record of this instance's chain that the store thread has put in the database (checkpoints sign it). */
    private volatile AuditRecord lastStored;
    private final AuditSpec spec;
    private final JdbcAuditStore store;
    private final AuditKeys keys;
    private final String instance;
    private final Journal<AuditRecord> journal;
    private final KafkaExport kafka;
    private final Witness witness;
    private final Clock clock;
    private final Cache<String, String> subjectKeys = Caffeine.newBuilder().maximumSize(50_000).build();
    private long lastSeq = -1;
    private String lastHash;
    private long timer = -1;

    @Inject
    public AuditTrail(Configuration configuration, Storage storage, @ConfigProperty(name = "fundament.data-dir") String dataDir,
                      MeterRegistry registry) {
        this(configuration.spec().audit(), configuration.get().secret("audit.signing_key"),
                configuration.get().secret("audit.payload_key"), new JdbcAuditStore(storage.dataSource()), Path.of(dataDir),
                Clock.systemUTC(), registry);
    }

    AuditTrail(AuditSpec spec, String signingKey, String payloadKey, JdbcAuditStore store, Path dataDir, Clock clock) {
        this(spec, signingKey, payloadKey, store, dataDir, clock, Metrics.globalRegistry);
    }

    AuditTrail(AuditSpec spec, String signingKey, String payloadKey, JdbcAuditStore store, Path dataDir, Clock clock,
               MeterRegistry registry) {
        this.spec = spec;
        this.store = store;
        this.clock = clock;
        this.keys = new AuditKeys(signingKey, payloadKey, dataDir);
        this.instance = dev.fundament.storage.InstanceId.of(dataDir);
        this.kafka = spec.kafka() == null ? null : new KafkaExport(spec.kafka(), instance);
        this.witness = new Witness(dataDir);
        this.journal = new Journal<>(dataDir.resolve("audit-journal"), "audit", AuditRecord.class, new Journal.Store<>() {
            @Override
            public void insert(List<AuditRecord> records) {
                store.insert(records);
                stream(records);
            }

            @Override
            public void insertNew(List<AuditRecord> records) {
                store.insertNew(records);
                stream(records);
            }

            @Override
            public String id(AuditRecord record) {
                return record.instance() + ":" + record.seq();
            }

            @Override
            public AuditRecord refused(AuditRecord record, String reason) {
                return RejectedRecord.standIn(record, reason, keys);
            }
        }, this::chain, registry);
    }

    private void stream(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            AuditRecord newest = lastStored;
            if (instance.equals(r.instance()) && (newest == null || r.seq() > newest.seq())) {
                lastStored = r;
            }
        }
        if (kafka != null) {
            kafka.send(records);
        }
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        timer = vertx.setPeriodic(spec.checkpointEvery() * 1000L, id -> vertx.executeBlocking(() -> {
            checkpoint();
            retain();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        journal.close();
        if (kafka != null) {
            kafka.close();
        }
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.warnf("No final audit checkpoint: %s", e.getMessage());
        }
    }

    public boolean keepsPayloads() {
        return spec.payloads();
    }

    /**
     * Appends a record; it is durable when the future completes. {@code payload}, the prompt and
     * answer, is kept (encrypted) only when the configuration asks for it.
     */
    public CompletableFuture<Void> append(AuditRecord draft, String payload) {
        AuditRecord r = new AuditRecord(null, 0, dev.fundament.storage.TimeOrderedIds.next(), clock.instant().truncatedTo(ChronoUnit.MILLIS),
                draft.kind(), draft.requestId(), draft.subject(), draft.team(), draft.keyPrefix(), draft.route(),
                draft.provider(), draft.upstreamModel(), draft.configHash(), draft.decisions(), draft.inputTokens(),
                draft.outputTokens(), draft.costMicros(), draft.status(), draft.latencyMs(), draft.requestSha256(),
                draft.responseSha256(), draft.action(), draft.target(), draft.details(),
                spec.payloads() && payload != null ? AuditChain.sha256(payload) : null,
                spec.payloads() && payload != null ? payload : null, null, null);
        return journal.write(r);
    }

    /** Records an admin action before the change is confirmed (called on the worker thread that made it). */
    void admin(@Observes AdminAction action) {
        note("admin", action.actor().subject(), action.actor().team(), action.actor().keyPrefix(), 200, action.action(),
                action.target(), action.details());
    }

    /**
     * A usage record the database refused for good (set aside in the ledger journal's
     * {@code rejected.jsonl}): noted in the trail, so an auditor sees that a request's cost record is
     * missing from the ledger, and why. Called on the ledger's store thread.
     */
    void refused(@Observes RecordRefused refused) {
        note("system", "fundament", null, null, 500, refused.journal() + ".record_refused", refused.id(),
                Map.of("journal", refused.journal(), "reason", refused.reason()));
    }

    /** Appends a record that is not a model request (an action, a note), waiting until it is journaled. */
    private void note(String kind, String subject, String team, String keyPrefix, int status, String action, String target,
                      Map<String, String> details) {
        String json;
        try {
            json = details.isEmpty() ? null : JSON.writeValueAsString(new java.util.TreeMap<>(details));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AuditRecord draft = new AuditRecord(null, 0, null, null, kind, null, subject, team, keyPrefix, null, null, null, null,
                null, 0, 0, 0, status, 0, null, null, action, target, json, null, null, null, null);
        append(draft, null).join();
    }

    /** The journal thread's step: place the record in the chain and seal its payload. */
    private synchronized AuditRecord chain(AuditRecord r) {
        if (lastSeq < 0) {
            Optional<AuditRecord> last = store.last(instance);
            lastSeq = last.map(AuditRecord::seq).orElse(0L);
            lastHash = last.map(AuditRecord::hash).orElse(AuditChain.GENESIS);
        }
        String sealed = null;
        if (r.payload() != null) {
            String subject = r.subject() == null ? "anonymous" : r.subject();
            String key = subjectKeys.get(subject, s -> store.subjectKey(s).orElseGet(() -> store.putSubjectKeyIfAbsent(s,
                    keys.newSubjectKey())));
            sealed = keys.encryptPayload(key, r.id(), r.payload());
        }
        long seq = ++lastSeq;
        AuditRecord placed = new AuditRecord(instance, seq, r.id(), r.at(), r.kind(), r.requestId(), r.subject(), r.team(),
                r.keyPrefix(), r.route(), r.provider(), r.upstreamModel(), r.configHash(), r.decisions(), r.inputTokens(),
                r.outputTokens(), r.costMicros(), r.status(), r.latencyMs(), r.requestSha256(), r.responseSha256(), r.action(),
                r.target(), r.details(), r.payloadSha256(), sealed, lastHash, null);
        String hash = AuditChain.hash(lastHash, placed);
        lastHash = hash;
        return placed.chained(instance, seq, placed.prevHash(), hash);
    }

    /**
     * Signs the newest stored record of this instance's chain, when it moved since the last checkpoint,
     * and witnesses the checkpoint outside the database ({@link Witness}, and Kafka when configured).
     */
    void checkpoint() {
        journal.awaitStored();
        Optional<AuditRecord> last = lastStored != null ? Optional.of(lastStored) : store.last(instance);
        if (last.isEmpty()) {
            return;
        }
        if (store.lastCheckpointSeq(instance) >= last.get().seq()) {
            return;
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Checkpoint unsigned = new Checkpoint(instance, last.get().seq(), last.get().hash(), at, null, keys.publicKey());
        Checkpoint signed = new Checkpoint(instance, unsigned.seq(), unsigned.hash(), at, keys.sign(unsigned.signed()),
                keys.publicKey());
        store.insertCheckpoint(signed);
        witness.append(signed);
        if (kafka != null) {
            kafka.send(signed);
        }
    }

    /** Retention: payloads after {@code payload_days}; records after {@code metadata_days}, up to a signed checkpoint. */
    void retain() {
        journal.awaitStored(); // retention keeps the newest stored record: let it be the newest one
        Instant now = clock.instant();
        int payloads = store.deletePayloadsBefore(now.minus(Duration.ofDays(spec.payloadDays())));
        int records = store.deleteRecordsBefore(instance, now.minus(Duration.ofDays(spec.metadataDays())));
        if (payloads > 0 || records > 0) {
            LOG.infof("Audit retention: %d payloads older than %d days and %d records older than %d days removed", payloads,
                    spec.payloadDays(), records, spec.metadataDays());
        }
    }

    /** Blocks until every acknowledged record is in the database (at most 30 s). */
    void awaitStored() {
        journal.awaitStored();
    }

    /** @return how many records this instance's chain holds in the database */
    long stored() {
        return store.last(instance).map(AuditRecord::seq).orElse(0L);
    }

    /** @return the result of checking every chain in the store */
    public AuditVerifier.Report verify() {
        journal.awaitStored();
        return new AuditVerifier(store, keys.publicKey(), witness.read()).verify();
    }

    /** A record with its payload opened, or marked erased or expired. */
    public record Opened(AuditRecord record, String payload, String payloadState) {
    }

    /** Data-subject access: every record about {@code subject}, payloads decrypted while their key exists. */
    public List<Opened> subject(String subject) {
        journal.awaitStored();
        Optional<String> key = store.subjectKey(subject);
        return store.bySubject(subject).stream().map(r -> {
            if (r.payloadSha256() == null) {
                return new Opened(r, null, "none");
            }
            Optional<String> sealed = store.payload(r.id());
            if (sealed.isEmpty()) {
                return new Opened(r, null, "expired");
            }
            if (key.isEmpty()) {
                return new Opened(r, null, "erased");
            }
            return new Opened(r, keys.decryptPayload(key.get(), r.id(), sealed.get()), "kept");
        }).toList();
    }

    /** Erasure by crypto-shredding: the subject's payloads become unreadable; the chain still verifies. */
    public boolean erase(String subject) {
        subjectKeys.invalidate(subject);
        return store.deleteSubjectKey(subject);
    }

    /** @return the records of a time range, without payloads */
    public List<AuditRecord> export(Instant from, Instant to) {
        journal.awaitStored();
        return store.between(from, to);
    }
}
