package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.identity.ModelAccess;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The path of every chat completion, in order: plan the route (and check the caller may use that
 * model; the caller was authenticated at the edge), call the targets (falling back as the
 * route allows), settle usage, tell the listeners. Later capabilities slot in as named steps here
 * (input guardrails and the budget hold before the call, output guardrails after it), not as hidden
 * interceptors.
 */
@ApplicationScoped
public class ChatPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;

    @Inject
    public ChatPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
    }

    public Uni<ChatResult> complete(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), false);
        Route route = plan(ctx, request);
        return TargetLoop.call(route, ctx::attempt,
                        (target, i) -> target.provider().chat().orElseThrow().chat(target.upstreamModel(), request))
                .onItem().invoke(result -> {
                    ctx.usage(result.usage());
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> fail(ctx, f))
                .onCancellation().invoke(() -> cancel(ctx));
    }

    /**
     * Streams a completion. The usage chunk reaches the caller only when asked for
     * ({@code stream_options.include_usage}); when the upstream reported none, Fundament counts.
     */
    public Multi<ChatChunk> stream(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), true);
        Route route = plan(ctx, request);
        StreamUsage usage = new StreamUsage(request);
        return TargetLoop.stream(route, ctx::attempt,
                        (target, i) -> target.provider().chat().orElseThrow().stream(target.upstreamModel(), request))
                .onItem().invoke(chunk -> {
                    if (ctx.firstTokenNanos() == 0) {
                        ctx.firstToken(System.nanoTime());
                        listeners.firstToken(ctx);
                    }
                    usage.observe(chunk);
                })
                .select().where(usage::forCaller)
                .onItem().transform(usage::withoutUsageUnlessAsked)
                .onCompletion().switchTo(() -> usage.closingChunk() != null
                        ? Multi.createFrom().item(usage.closingChunk()) : Multi.createFrom().empty())
                .onCompletion().invoke(() -> {
                    ctx.usage(usage.total());
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> {
                    ctx.usage(usage.total());
                    fail(ctx, f);
                })
                .onCancellation().invoke(() -> {
                    ctx.usage(usage.total());
                    cancel(ctx);
                });
    }

    private Route plan(RequestContext ctx, ChatRequest request) {
        try {
            Route route = runtime.routes().resolve(request.model(), ModelKind.CHAT);
            access.check(ctx.principal(), route.name());
            return route;
        } catch (GatewayException e) {
            ctx.failure(e);
            listeners.failure(ctx);
            throw e;
        }
    }

    private void fail(RequestContext ctx, Throwable f) {
        ctx.failure(f instanceof GatewayException g ? g
                : new GatewayException(ErrorKind.INTERNAL, "Internal error (" + f.getClass().getSimpleName() + ")."));
        listeners.failure(ctx);
    }

    private void cancel(RequestContext ctx) {
        ctx.cancelled(true);
        listeners.cancel(ctx);
    }
}
