package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.identity.ModelAccess;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The path of every embedding request: plan the route, call the targets, settle usage, tell the listeners. */
@ApplicationScoped
public class EmbeddingPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;

    @Inject
    public EmbeddingPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
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
        return TargetLoop.call(route, ctx::attempt,
                        (target, i) -> target.provider().embeddings().orElseThrow().embed(target.upstreamModel(), request))
                .onItem().invoke(result -> {
                    ctx.usage(result.usage());
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> {
                    ctx.failure(f instanceof GatewayException g ? g
                            : new GatewayException(ErrorKind.INTERNAL, "Internal error (" + f.getClass().getSimpleName() + ")."));
                    listeners.failure(ctx);
                });
    }
}
