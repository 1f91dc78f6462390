package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.Message;
import dev.fundament.identity.ModelAccess;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The path of every chat completion, in order: plan the route (and check the caller may use that
 * model; the caller was authenticated at the edge), reserve its share of the rate limits, call the
 * targets (falling back as the route allows), settle usage and limits, tell the listeners. Later
 * capabilities slot in as named steps here (input guardrails and the budget hold before the call,
 * output guardrails after it), not as hidden interceptors.
 */
@ApplicationScoped
public class ChatPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;
    private final RateLimiter limiter;

    @Inject
    public ChatPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access, RateLimiter limiter) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
        this.limiter = limiter;
    }

    public Uni<ChatResult> complete(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), false);
        Route route = plan(ctx, request);
        RateLimiter.Reservation[] held = {null};
        return limiter.reserve(ctx.principal(), route.name(), estimate(request))
                .onItem().transformToUni(reservation -> {
                    held[0] = reservation;
                    ctx.responseHeaders(reservation.headers());
                    return TargetLoop.call(route, ctx::attempt,
                            (target, i) -> target.provider().chat().orElseThrow().chat(target.upstreamModel(), request));
                })
                .onItem().invoke(result -> {
                    ctx.usage(result.usage());
                    settle(held[0], ctx);
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> {
                    settle(held[0], ctx);
                    fail(ctx, f);
                })
                .onCancellation().invoke(() -> {
                    settle(held[0], ctx);
                    cancel(ctx);
                });
    }

    /**
     * Streams a completion. The usage chunk reaches the caller only when asked for
     * ({@code stream_options.include_usage}); when the upstream reported none, Fundament counts. A
     * stream cancelled half-way settles its limits with what was generated until then.
     */
    public Multi<ChatChunk> stream(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), true);
        Route route = plan(ctx, request);
        StreamUsage usage = new StreamUsage(request);
        RateLimiter.Reservation[] held = {null};
        return Multi.createFrom().uni(limiter.reserve(ctx.principal(), route.name(), estimate(request)))
                .onItem().transformToMultiAndConcatenate(reservation -> {
                    held[0] = reservation;
                    ctx.responseHeaders(reservation.headers());
                    return TargetLoop.stream(route, ctx::attempt,
                            (target, i) -> target.provider().chat().orElseThrow().stream(target.upstreamModel(), request));
                })
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
                    settle(held[0], ctx);
                    listeners.success(ctx);
                })
                .onFailure().invoke(f -> {
                    ctx.usage(usage.total());
                    settle(held[0], ctx);
                    fail(ctx, f);
                })
                .onCancellation().invoke(() -> {
                    ctx.usage(usage.total());
                    settle(held[0], ctx);
                    cancel(ctx);
                });
    }

    /** The token reservation: a rough prompt count (four characters a token) plus the completion allowance. */
    static long estimate(ChatRequest request) {
        long chars = 0;
        for (Message m : request.messages()) {
            chars += m.text().length();
        }
        return (chars + 3) / 4 + (request.maxTokens() != null ? request.maxTokens() : RateLimiter.DEFAULT_COMPLETION_RESERVE);
    }

    private static void settle(RateLimiter.Reservation reservation, RequestContext ctx) {
        if (reservation != null) {
            reservation.settle(ctx.usage().totalTokens());
        }
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
