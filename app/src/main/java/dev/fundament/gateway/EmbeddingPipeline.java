package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.identity.ModelAccess;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import dev.fundament.usage.BudgetGuard;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The path of every embedding request: plan the route (and check access), hold rate limits and budgets, call
 * the targets, then settle: limits, the ledger entry (the answer waits for it) and the listeners.
 */
@ApplicationScoped
public class EmbeddingPipeline {

    private final GatewayRuntime runtime;
    private final ModelAccess access;
    private final RateLimiter limiter;
    private final Settlement settlement;
    private final BudgetGuard budgets;

    @Inject
    public EmbeddingPipeline(GatewayRuntime runtime, ModelAccess access, RateLimiter limiter, Settlement settlement,
                             BudgetGuard budgets) {
        this.budgets = budgets;
        this.runtime = runtime;
        this.access = access;
        this.limiter = limiter;
        this.settlement = settlement;
    }

    public Uni<EmbeddingResult> embed(RequestContext ctx, EmbeddingRequest request) {
        ctx.model(request.model(), false);
        Holds holds = new Holds();
        return Uni.createFrom().deferred(() -> {
                    Route route = ChatPipeline.select(ChatPipeline.plan(runtime, access, ctx, ModelKind.EMBEDDING, request.user()),
                            ctx, request.user(), java.util.Set.of());
                    long chars = 0;
                    for (String input : request.inputs()) {
                        chars += input.length();
                    }
                    long worst = settlement.worstCaseMicros(route, (chars + 1) / 2);
                    return limiter.reserve(ctx.principal(), route.name(), (chars + 3) / 4)
                            .onItem().transformToUni(reservation -> {
                                holds.reservation = reservation;
                                ctx.responseHeaders(reservation.headers());
                                return budgets.hold(ctx.principal(), worst);
                            })
                            .onItem().transformToUni(budget -> {
                                holds.budget = budget;
                                return TargetLoop.call(route, ctx::attempt, (target, i) ->
                                        target.provider().embeddings().orElseThrow().embed(target.upstreamModel(), request));
                            });
                })
                .onItem().call(result -> {
                    ctx.usage(result.usage());
                    return settlement.success(ctx, holds);
                })
                .onFailure().call(f -> settlement.failure(ctx, holds, f))
                .onCancellation().invoke(() -> settlement.cancel(ctx, holds));
    }
}
