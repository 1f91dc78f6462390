package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.identity.ModelAccess;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The path of every embedding request: plan the route (and check access), reserve rate limits, call
 * the targets, then settle: limits, the ledger entry (the answer waits for it) and the listeners.
 */
@ApplicationScoped
public class EmbeddingPipeline {

    private final GatewayRuntime runtime;
    private final ModelAccess access;
    private final RateLimiter limiter;
    private final Settlement settlement;

    @Inject
    public EmbeddingPipeline(GatewayRuntime runtime, ModelAccess access, RateLimiter limiter, Settlement settlement) {
        this.runtime = runtime;
        this.access = access;
        this.limiter = limiter;
        this.settlement = settlement;
    }

    public Uni<EmbeddingResult> embed(RequestContext ctx, EmbeddingRequest request) {
        ctx.model(request.model(), false);
        RateLimiter.Reservation[] held = {null};
        return Uni.createFrom().deferred(() -> {
                    Route route = runtime.routes().resolve(request.model(), ModelKind.EMBEDDING);
                    access.check(ctx.principal(), route.name());
                    long chars = 0;
                    for (String input : request.inputs()) {
                        chars += input.length();
                    }
                    return limiter.reserve(ctx.principal(), route.name(), (chars + 3) / 4)
                            .onItem().transformToUni(reservation -> {
                                held[0] = reservation;
                                ctx.responseHeaders(reservation.headers());
                                return TargetLoop.call(route, ctx::attempt, (target, i) ->
                                        target.provider().embeddings().orElseThrow().embed(target.upstreamModel(), request));
                            });
                })
                .onItem().call(result -> {
                    ctx.usage(result.usage());
                    return settlement.success(ctx, held[0]);
                })
                .onFailure().call(f -> settlement.failure(ctx, held[0], f))
                .onCancellation().invoke(() -> settlement.cancel(ctx, held[0]));
    }
}
