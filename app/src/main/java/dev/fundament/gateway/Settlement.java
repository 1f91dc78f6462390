package dev.fundament.gateway;

import dev.fundament.config.Configuration;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.usage.Ledger;
import dev.fundament.usage.LedgerEntry;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * The last step of every request, whatever its outcome: settle the limit reservation with the real
 * usage, write the ledger entry (the response waits for it), and tell the listeners. Exactly once per
 * request that reached the pipeline.
 */
@ApplicationScoped
public class Settlement {

    /** The status recorded for a request whose caller went away (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    private final Ledger ledger;
    private final Listeners listeners;
    private final String configHash;

    @Inject
    public Settlement(Ledger ledger, Listeners listeners, Configuration configuration) {
        this.ledger = ledger;
        this.listeners = listeners;
        this.configHash = configuration.get().hash();
    }

    /** @return completes when the ledger entry is committed */
    Uni<Void> success(RequestContext ctx, RateLimiter.Reservation reservation) {
        settle(ctx, reservation);
        listeners.success(ctx);
        return ledger.record(entry(ctx, 200));
    }

    /** @return completes (never fails) when the ledger entry is committed */
    Uni<Void> failure(RequestContext ctx, RateLimiter.Reservation reservation, Throwable f) {
        ctx.failure(f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error (" + f.getClass().getSimpleName() + ")."));
        settle(ctx, reservation);
        listeners.failure(ctx);
        return ledger.record(entry(ctx, ctx.failure().kind().status())).onFailure().recoverWithNull();
    }

    /** The caller is gone: nothing waits, but the entry is still written. */
    void cancel(RequestContext ctx, RateLimiter.Reservation reservation) {
        ctx.cancelled(true);
        settle(ctx, reservation);
        listeners.cancel(ctx);
        ledger.record(entry(ctx, CLIENT_CLOSED)).subscribe().with(ok -> { }, failure -> { });
    }

    private static void settle(RequestContext ctx, RateLimiter.Reservation reservation) {
        if (reservation != null) {
            reservation.settle(ctx.usage().totalTokens());
        }
    }

    private LedgerEntry entry(RequestContext ctx, int status) {
        var principal = ctx.principal();
        var target = ctx.target();
        String provider = target == null ? null : target.provider().name();
        String upstream = target == null ? null : target.upstreamModel();
        var usage = ctx.usage();
        return new LedgerEntry(UUID.randomUUID().toString(), ctx.requestId(), Instant.now(), principal.subject(),
                principal.team(), principal.keyId(), principal.keyPrefix(), principal.metadata().get("use_case"),
                ctx.operation().semconv(), ctx.model(), provider, upstream, usage.inputTokens(), usage.outputTokens(),
                usage.cachedTokens(), usage.estimated(), ledger.pricing().costMicros(provider, upstream, usage),
                ledger.pricing().currency(), (int) ((System.nanoTime() - ctx.startNanos()) / 1_000_000), status,
                ctx.failure() == null ? null : ctx.failure().kind().code(), ctx.stream(), ctx.cancelled(), false, configHash);
    }
}
