package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
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
 * targets (falling back as the route allows), then settle: limits, the ledger entry (the answer
 * waits for it) and the listeners. Later
 * capabilities slot in as named steps here (input guardrails and the budget hold before the call,
 * output guardrails after it), not as hidden interceptors.
 */
@ApplicationScoped
public class ChatPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;
    private final RateLimiter limiter;
    private final Settlement settlement;

    @Inject
    public ChatPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access, RateLimiter limiter,
                        Settlement settlement) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
        this.limiter = limiter;
        this.settlement = settlement;
    }

    public Uni<ChatResult> complete(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), false);
        RateLimiter.Reservation[] held = {null};
        return Uni.createFrom().deferred(() -> {
                    Route route = plan(ctx);
                    return limiter.reserve(ctx.principal(), route.name(), estimate(request))
                            .onItem().transformToUni(reservation -> {
                                held[0] = reservation;
                                ctx.responseHeaders(reservation.headers());
                                return TargetLoop.call(route, ctx::attempt, (target, i) ->
                                        target.provider().chat().orElseThrow().chat(target.upstreamModel(), request));
                            });
                })
                .onItem().call(result -> {
                    ctx.usage(result.usage());
                    return settlement.success(ctx, held[0]);
                })
                .onFailure().call(f -> settlement.failure(ctx, held[0], f))
                .onCancellation().invoke(() -> settlement.cancel(ctx, held[0]));
    }

    /**
     * Streams a completion. The usage chunk reaches the caller only when asked for
     * ({@code stream_options.include_usage}); when the upstream reported none, Fundament counts. A
     * stream cancelled half-way is settled and recorded with what was generated until then. The final
     * {@code [DONE]} waits for the ledger entry.
     */
    public Multi<ChatChunk> stream(RequestContext ctx, ChatRequest request) {
        ctx.model(request.model(), true);
        StreamUsage usage = new StreamUsage(request);
        RateLimiter.Reservation[] held = {null};
        return Multi.createFrom().deferred(() -> {
                    Route route = plan(ctx);
                    return Multi.createFrom().uni(limiter.reserve(ctx.principal(), route.name(), estimate(request)))
                            .onItem().transformToMultiAndConcatenate(reservation -> {
                                held[0] = reservation;
                                ctx.responseHeaders(reservation.headers());
                                return TargetLoop.stream(route, ctx::attempt, (target, i) ->
                                        target.provider().chat().orElseThrow().stream(target.upstreamModel(), request));
                            });
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
                .onCompletion().call(() -> {
                    ctx.usage(usage.total());
                    return settlement.success(ctx, held[0]);
                })
                .onFailure().call(f -> {
                    ctx.usage(usage.total());
                    return settlement.failure(ctx, held[0], f);
                })
                .onCancellation().invoke(() -> {
                    ctx.usage(usage.total());
                    settlement.cancel(ctx, held[0]);
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

    private Route plan(RequestContext ctx) {
        Route route = runtime.routes().resolve(ctx.model(), ModelKind.CHAT);
        access.check(ctx.principal(), route.name());
        return route;
    }
}
