package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.identity.ModelAccess;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The path of every embedding request: plan the route (and check access), reserve rate limits, call
 * the targets, settle usage and limits, tell the listeners.
 */
@ApplicationScoped
public class EmbeddingPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;
    private final RateLimiter limiter;

    @Inject
    public EmbeddingPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access, RateLimiter limiter) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
        this.limiter = limiter;
    }

    public Uni<EmbeddingResult> embed(RequestContext ctx, EmbeddingRequest request) {
        ctx.model(request.model(), false);
        Route route;
        try {
            route = runtime.routes().resolve(request.model(), ModelKind.EMBEDDING);
            access.check(ctx.principal(), route.name());
        } catch (GatewayException e) {
            ctx.failure(e);
            listeners.failure(ctx);
            throw e;
        }
        long chars = 0;
        for (String input : request.inputs()) {
            chars += input.length();
        }
        RateLimiter.Reservation[] held = {null};
        return limiter.reserve(ctx.principal(), route.name(), (chars + 3) / 4)
                .onItem().transformToUni(reservation -> {
                    held[0] = reservation;
                    ctx.responseHeaders(reservation.headers());
                    return TargetLoop.call(route, ctx::attempt,
                            (target, i) -> target.provider().embeddings().orElseThrow().embed(target.upstreamModel(), request));
                })
                .onItem().invoke(result -> {
                    ctx.usage(result.usage());
                    held[0].settle(result.usage().totalTokens());
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> {
                    if (held[0] != null) {
                        held[0].settle(0);
                    }
                    ctx.failure(f instanceof GatewayException g ? g
                            : new GatewayException(ErrorKind.INTERNAL, "Internal error (" + f.getClass().getSimpleName() + ")."));
                    listeners.failure(ctx);
                });
    }
}
