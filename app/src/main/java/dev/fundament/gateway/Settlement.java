package dev.fundament.gateway;

import dev.fundament.audit.AuditChain;
import dev.fundament.audit.AuditRecord;
import dev.fundament.audit.AuditTrail;
import dev.fundament.config.Configuration;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.usage.Ledger;
import dev.fundament.usage.LedgerEntry;
import dev.fundament.routing.Route;
import dev.fundament.routing.Target;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last step of every request, whatever its outcome: settle the limit reservation and the budget
 * hold with the real usage and cost, write the ledger entry (the response waits for it), and tell the
 * listeners. Exactly once per request that reached the pipeline: the first outcome settles it (a
 * caller who leaves while a finished answer's records are written does not add a second entry).
 *
 * <p>A request is also {@linkplain #open opened} in the ledger when it is admitted, before any upstream
 * is called, and its settlement carries the same id. A process killed mid-request leaves the open
 * entry without a settlement; at the next start {@link #recover} settles each one as interrupted:
 * status 499, error code {@code interrupted}, {@code estimated} set, and a ledger entry plus an audit
 * record. Its usage is unknown (the upstream may have answered in full), so it is charged at the
 * worst case that was held against the budgets at admission, not at zero: an upstream call that
 * happened must never look free in the ledger, budgets are seeded from the ledger, and the provider's
 * invoice reconciles against it; the {@code estimated} flag and the code say that the figure is an
 * upper bound.
 */
@ApplicationScoped
public class Settlement {

    /** The status recorded for a request whose caller went away (nginx's convention). */
    static final int CLIENT_CLOSED = 499;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Ledger ledger;
    private final AuditTrail audit;
    private final Listeners listeners;
    private final String configHash;

    @Inject
    public Settlement(Ledger ledger, AuditTrail audit, Listeners listeners, Configuration configuration) {
        this.ledger = ledger;
        this.audit = audit;
        this.listeners = listeners;
        this.configHash = configuration.get().hash();
    }

    /** The error code of a request that a crash interrupted, settled at the next start. */
    static final String INTERRUPTED = "interrupted";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Settlement.class);

    /**
     * Journals that an admitted request is about to call upstream, with the most it can cost; its
     * settlement closes it.
     *
     * @return completes once the open entry is durable
     */
    Uni<Void> open(RequestContext ctx, long worstCaseMicros) {
        LedgerEntry e = entry(ctx, LedgerEntry.OPEN);
        return ledger.open(new LedgerEntry(e.id(), e.requestId(), e.at(), e.subject(), e.team(), e.keyId(), e.keyPrefix(), e.useCase(),
                e.operation(), e.model(), null, null, 0, 0, 0, true, worstCaseMicros, e.currency(), 0, LedgerEntry.OPEN, null,
                e.stream(), false, false, e.configHash()));
    }

    /** At start-up: settles the requests a killed process left open, each with a ledger entry and an audit record. */
    void recover(@Observes StartupEvent event) {
        List<LedgerEntry> open = ledger.interrupted();
        for (LedgerEntry o : open) {
            LedgerEntry settled = new LedgerEntry(o.id(), o.requestId(), o.at(), o.subject(), o.team(), o.keyId(), o.keyPrefix(),
                    o.useCase(), o.operation(), o.model(), o.provider(), o.upstreamModel(), 0, 0, 0, true, o.costMicros(),
                    o.currency(), 0, CLIENT_CLOSED, INTERRUPTED, o.stream(), true, false, o.configHash());
            // The audit record first: should this start be killed too, the next one finds the request still
            // open and records it again, rather than leave a ledger entry without its audit record.
            audit.append(auditRecord(settled, null, null, null, INTERRUPTED, null, null), null).join();
            ledger.settleInterrupted(settled);
        }
        if (!open.isEmpty()) {
            LOG.warnf("%d requests interrupted by the last stop were settled as interrupted (status %d, charged at their"
                    + " worst case)", open.size(), CLIENT_CLOSED);
        }
    }

    /** @return completes when the ledger entry is committed */
    Uni<Void> success(RequestContext ctx, Holds holds) {
        if (!ctx.settle()) {
            return Uni.createFrom().voidItem();
        }
        LedgerEntry entry = entry(ctx, 200);
        settle(ctx, holds, entry);
        listeners.success(ctx);
        return durable(ctx, entry);
    }

    /** @return completes (never fails) when the ledger entry is committed */
    Uni<Void> failure(RequestContext ctx, Holds holds, Throwable f) {
        if (!ctx.settle()) {
            return Uni.createFrom().voidItem();
        }
        ctx.failure(f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error (" + f.getClass().getSimpleName() + ")."));
        LedgerEntry entry = entry(ctx, ctx.failure().kind().status());
        settle(ctx, holds, entry);
        listeners.failure(ctx);
        return durable(ctx, entry).onFailure().recoverWithNull();
    }

    /** The caller is gone: nothing waits, but the entry is still written. */
    void cancel(RequestContext ctx, Holds holds) {
        if (!ctx.settle()) {
            return;
        }
        ctx.cancelled(true);
        LedgerEntry entry = entry(ctx, CLIENT_CLOSED);
        settle(ctx, holds, entry);
        listeners.cancel(ctx);
        durable(ctx, entry).subscribe().with(ok -> { }, failure -> { });
    }

    /** The ledger entry and the audit record, written side by side; completes when both are durable. */
    private Uni<Void> durable(RequestContext ctx, LedgerEntry entry) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Uni<Void> audited = Uni.createFrom().completionStage(audit.append(auditRecord(ctx, entry),
                audit.keepsPayloads() ? ctx.prompt() + "assistant: " + ctx.answer() : null));
        if (context != null) {
            audited = audited.emitOn(task -> context.runOnContext(v -> task.run())); // back on the request's event loop
        }
        return Uni.combine().all().unis(ledger.record(entry), audited).discardItems();
    }

    private AuditRecord auditRecord(RequestContext ctx, LedgerEntry e) {
        String decisions = null;
        if (!ctx.decisions().isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (var d : ctx.decisions()) {
                list.add(Map.of("policy", d.policy(), "stage", d.stage().wire(), "category", d.category().wire(), "detector",
                        d.detector(), "action", d.action().wire(), "message", d.message(), "start", d.start(), "end", d.end()));
            }
            try {
                decisions = JSON.writeValueAsString(list);
            } catch (com.fasterxml.jackson.core.JsonProcessingException failure) {
                throw new IllegalStateException(failure);
            }
        }
        String answer = ctx.answer();
        String details = null;
        if (ctx.collection() != null) {
            try {
                details = JSON.writeValueAsString(Map.of("collection", ctx.collection(), "chunks", ctx.retrieved()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException failure) {
                throw new IllegalStateException(failure);
            }
        }
        return auditRecord(e, decisions, ctx.requestSha256(), answer.isEmpty() ? null : AuditChain.sha256(answer),
                ctx.collection() == null ? null : "rag", ctx.collection(), details);
    }

    private static AuditRecord auditRecord(LedgerEntry e, String decisions, String requestSha256, String responseSha256,
                                           String action, String target, String details) {
        return new AuditRecord(null, 0, null, null, "request", e.requestId(), e.subject(), e.team(), e.keyPrefix(), e.model(),
                e.provider(), e.upstreamModel(), e.configHash(), decisions, e.inputTokens(), e.outputTokens(), e.costMicros(),
                e.status(), e.latencyMs(), requestSha256, responseSha256, action, target, details, null, null, null, null);
    }

    /**
     * The most a request can cost on its route: every token of a generous estimate (two characters a
     * token, plus the completion allowance) at the dearest price among the route's targets.
     */
    long worstCaseMicros(Route route, long tokens) {
        long worst = 0;
        for (Target t : route.targets()) {
            worst = Math.max(worst, ledger.pricing().maxCostMicros(t.provider().name(), t.upstreamModel(), tokens));
        }
        return worst;
    }

    private static void settle(RequestContext ctx, Holds holds, LedgerEntry entry) {
        if (holds.reservation != null) {
            holds.reservation.settle(ctx.usage().totalTokens());
        }
        if (holds.budget != null) {
            holds.budget.settle(entry.costMicros());
        }
    }

    private LedgerEntry entry(RequestContext ctx, int status) {
        var principal = ctx.principal();
        var target = ctx.target();
        String provider = target == null ? null : target.provider().name();
        String upstream = target == null ? null : target.upstreamModel();
        var usage = ctx.usage();
        return new LedgerEntry(ctx.entryId(), ctx.requestId(), Instant.now(), principal.subject(),
                principal.team(), principal.keyId(), principal.keyPrefix(), principal.metadata().get("use_case"),
                ctx.operation().semconv(), ctx.model(), provider, upstream, usage.inputTokens(), usage.outputTokens(),
                usage.cachedTokens(), usage.estimated(), ledger.pricing().costMicros(provider, upstream, usage),
                ledger.pricing().currency(), (int) ((System.nanoTime() - ctx.startNanos()) / 1_000_000), status,
                ctx.failure() == null ? null : ctx.failure().kind().code(), ctx.stream(), ctx.cancelled(), false, configHash);
    }
}
