package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.Message;
import dev.fundament.guardrails.Guarded;
import dev.fundament.guardrails.Guardrails;
import dev.fundament.identity.ModelAccess;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.routing.Admission;
import dev.fundament.routing.Caller;
import dev.fundament.routing.Condition;
import dev.fundament.routing.Target;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import dev.fundament.usage.BudgetGuard;
import dev.fundament.usage.RateLimiter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * The path of every chat completion, in order: plan the route (and check the caller may use that
 * model; the caller was authenticated at the edge), hold its share of the rate limits and budgets, call the
 * targets (falling back as the route allows), then settle: limits, the ledger entry (the answer
 * waits for it) and the listeners. Input guardrails run right after planning (they may block, rewrite
 * the request or narrow the route to on-prem targets); then the route keeps the targets whose
 * conditions the request meets, and a share of requests is copied to the route's shadow candidate.
 * Output guardrails run on the answer, streamed or whole: named steps here, not hidden interceptors.
 * A {@code rag/<collection>} model first retrieves passages the caller may read and hands the request,
 * with them, to the collection's answer model ({@link RagAnswers}); the rest of the path is the same.
 */
@ApplicationScoped
public class ChatPipeline {

    private final GatewayRuntime runtime;
    private final Listeners listeners;
    private final ModelAccess access;
    private final RateLimiter limiter;
    private final Settlement settlement;
    private final BudgetGuard budgets;
    private final Guardrails guardrails;
    private final Shadowing shadowing;
    private final RagAnswers rag;

    @Inject
    public ChatPipeline(GatewayRuntime runtime, Listeners listeners, ModelAccess access, RateLimiter limiter,
                        Settlement settlement, BudgetGuard budgets, Guardrails guardrails, Shadowing shadowing, RagAnswers rag) {
        this.rag = rag;
        this.shadowing = shadowing;
        this.budgets = budgets;
        this.guardrails = guardrails;
        this.runtime = runtime;
        this.listeners = listeners;
        this.access = access;
        this.limiter = limiter;
        this.settlement = settlement;
    }

    public Uni<ChatResult> complete(RequestContext ctx, ChatRequest request) {
        if (RagAnswers.applies(request.model())) {
            return rag.retrieve(ctx, request).onItem().transformToUni(r -> complete(ctx, r.request()).onItem().transform(r::cite));
        }
        ctx.model(request.model(), false);
        ctx.request(request);
        Holds holds = new Holds();
        return Uni.createFrom().deferred(() -> {
                    Route planned = plan(ctx, request);
                    Guarded guarded = guard(ctx, planned, request);
                    Route route = select(guarded.route(), ctx, request.user(), guarded.classification());
                    shadowing.copy(ctx, planned, guarded);
                    return admit(ctx, route, guarded.request(), holds).onItem().transformToUni(admitted ->
                            TargetLoop.call(route, ticket(ctx), ctx::attempt, (target, i) ->
                                    target.provider().chat().orElseThrow().chat(target.upstreamModel(), guarded.request())))
                            .onItem().transform(guarded::output);
                })
                .onItem().call(result -> {
                    ctx.usage(result.usage());
                    for (ChatResult.Choice c : result.choices()) {
                        ctx.answer(c.message().text());
                    }
                    return settlement.success(ctx, holds);
                })
                .onFailure().call(f -> settlement.failure(ctx, holds, f))
                .onCancellation().invoke(() -> settlement.cancel(ctx, holds));
    }

    /**
     * Streams a completion. The usage chunk reaches the caller only when asked for
     * ({@code stream_options.include_usage}); when the upstream reported none, Fundament counts. A
     * stream cancelled half-way is settled and recorded with what was generated until then. The final
     * {@code [DONE]} waits for the ledger entry.
     *
     * <p>The stream contract, decided here and nowhere else: the returned stream <em>completes</em>
     * only after a real success, that is a target's upstream ended its answer with its terminator
     * ({@code data: [DONE]}, Anthropic's {@code message_stop}) and at least one chunk reached the
     * caller; it is settled as success (200) and the writer ends it with {@code [DONE]}. Everything
     * else <em>fails</em> the stream and is settled with the failure's status: a failure before the
     * first chunk becomes an HTTP error, one after it an {@code error} event without {@code [DONE]}
     * (see {@code api.SseWriter}). An upstream that closes early, stalls past a timeout or sends nothing
     * at all is such a failure (the providers and {@link TargetLoop} see to the first two).
     */
    public Multi<ChatChunk> stream(RequestContext ctx, ChatRequest request) {
        if (RagAnswers.applies(request.model())) {
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            return rag.retrieve(ctx, request).onItem().transformToMulti(r -> stream(ctx, r.request())
                    .onItem().transform(chunk -> first.getAndSet(false) ? r.cite(chunk) : chunk));
        }
        ctx.model(request.model(), true);
        ctx.request(request);
        StreamUsage usage = new StreamUsage(request);
        Holds holds = new Holds();
        return Multi.createFrom().deferred(() -> {
                    Route planned = plan(ctx, request);
                    Guarded guarded = guard(ctx, planned, request);
                    Route route = select(guarded.route(), ctx, request.user(), guarded.classification());
                    shadowing.copy(ctx, planned, guarded);
                    Multi<ChatChunk> answer = Multi.createFrom().uni(admit(ctx, route, guarded.request(), holds))
                            .onItem().transformToMultiAndConcatenate(admitted ->
                                    TargetLoop.stream(route, ticket(ctx), ctx::attempt, (target, i) ->
                                            target.provider().chat().orElseThrow().stream(target.upstreamModel(), guarded.request())));
                    return guarded.watchesOutput() ? guardStream(answer, guarded.stream()) : answer;
                })
                .onItem().invoke(chunk -> {
                    if (ctx.firstTokenNanos() == 0) {
                        ctx.firstToken(System.nanoTime());
                        listeners.firstToken(ctx);
                    }
                    usage.observe(chunk);
                    for (ChatChunk.Delta d : chunk.choices()) {
                        if (d.content() != null) {
                            ctx.answer(d.content());
                        }
                    }
                })
                .select().where(usage::forCaller)
                .onItem().transform(usage::withoutUsageUnlessAsked)
                .onCompletion().switchTo(() -> usage.closingChunk() != null
                        ? Multi.createFrom().item(usage.closingChunk()) : Multi.createFrom().empty())
                .onCompletion().ifEmpty().failWith(() -> new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE,
                        "The model behind '" + request.model() + "' ended its stream without any answer."))
                .onCompletion().call(() -> {
                    ctx.usage(usage.total());
                    return settlement.success(ctx, holds);
                })
                .onFailure().call(f -> {
                    ctx.usage(usage.total());
                    return settlement.failure(ctx, holds, f);
                })
                .onCancellation().invoke(() -> {
                    ctx.usage(usage.total());
                    settlement.cancel(ctx, holds);
                });
    }

    /** Fair share is per team; keys whose metadata says {@code priority: batch} wait behind interactive use. */
    static Admission.Ticket ticket(RequestContext ctx) {
        return new Admission.Ticket(ctx.principal().team(), "batch".equals(ctx.principal().metadata().get("priority")));
    }

    /** Input guardrails: may block, rewrite the request, or narrow the route to labelled targets. */
    private Guarded guard(RequestContext ctx, Route route, ChatRequest request) {
        return guardrails.input(ctx.principal(), route, request, ctx::decision);
    }

    /** Output guardrails on a stream: chunks are held back by the guard's window, the rest flushed at the end. */
    private static Multi<ChatChunk> guardStream(Multi<ChatChunk> answer, Guarded.StreamGuard guard) {
        return answer.onItem().transformToIterable(chunk -> {
                    ChatChunk out = guard.accept(chunk);
                    return out == null ? List.<ChatChunk>of() : List.of(out);
                })
                .onCompletion().switchTo(() -> {
                    ChatChunk rest = guard.finish();
                    return rest == null ? Multi.createFrom().empty() : Multi.createFrom().item(rest);
                })
                .onFailure().transform(f -> guard.stopped() != null ? guard.stopped() : f);
    }

    /** Rate limits, then budgets: the request's share of each is held until it settles. */
    private Uni<Boolean> admit(RequestContext ctx, Route route, ChatRequest request, Holds holds) {
        return limiter.reserve(ctx.principal(), route.name(), estimate(request))
                .onItem().transformToUni(reservation -> {
                    holds.reservation = reservation;
                    ctx.responseHeaders(reservation.headers());
                    long worst = settlement.worstCaseMicros(route, generousEstimate(request));
                    return budgets.hold(ctx.principal(), worst).call(admitted -> settlement.open(ctx, worst));
                })
                .onItem().transform(budget -> {
                    holds.budget = budget;
                    return true;
                });
    }

    /** The messages' texts, role by role, as the audit trail keeps them when payloads are kept. */
    static String promptText(ChatRequest request) {
        StringBuilder b = new StringBuilder();
        for (Message m : request.messages()) {
            b.append(m.role().wire()).append(": ").append(m.text()).append('\n');
        }
        return b.toString();
    }

    /**
     * For budgets: two characters a token, and 4,096 completion tokens when max_tokens is not given,
     * for each of the request's choices ({@code n}): {@code n: 500, max_tokens: 100} can cost 50,000
     * completion tokens, and a hold of 100 once let it through a budget it overspent fifty times.
     */
    static long generousEstimate(ChatRequest request) {
        long chars = 0;
        for (Message m : request.messages()) {
            chars += m.text().length();
        }
        return (chars + 1) / 2 + (long) request.choices() * (request.maxTokens() != null ? request.maxTokens() : 4096);
    }

    /**
     * The token reservation: a rough prompt count (four characters a token) plus the completion
     * allowance for each of the request's choices ({@code n}).
     */
    static long estimate(ChatRequest request) {
        long chars = 0;
        for (Message m : request.messages()) {
            chars += m.text().length();
        }
        return (chars + 3) / 4 + (long) request.choices()
                * (request.maxTokens() != null ? request.maxTokens() : RateLimiter.DEFAULT_COMPLETION_RESERVE);
    }

    private Route plan(RequestContext ctx, ChatRequest request) {
        return plan(runtime, access, ctx, ModelKind.CHAT, request.user());
    }

    /**
     * Resolves the model, checks the caller may use it and that its roll-out (a feature flag) is
     * enabled for the caller.
     *
     * @throws dev.fundament.error.GatewayException {@code permission_denied} for a caller outside the cohort
     */
    static Route plan(GatewayRuntime runtime, ModelAccess access, RequestContext ctx, ModelKind kind, String user) {
        Route route = runtime.routes().resolve(ctx.model(), kind);
        if (ctx.collection() == null) { // a rag/ request was checked for rag/<collection>; its answer model is the collection's
            access.check(ctx.principal(), route.name());
        }
        if (route.rollout() != Condition.ALWAYS && !route.rollout().matches(caller(ctx, user, Set.of()), route.name())) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Model '" + route.name()
                    + "' is being rolled out and is not enabled for you yet. Use another model, or ask an admin to add you"
                    + " to its roll-out.", "model");
        }
        return route;
    }

    /** The route's targets whose conditions the request meets, {@code found} being what the guardrails classified. */
    static Route select(Route route, RequestContext ctx, String user, Set<String> found) {
        for (Target t : route.targets()) {
            if (t.when() != Condition.ALWAYS) {
                return route.select(caller(ctx, user, found));
            }
        }
        return route;
    }

    private static Caller caller(RequestContext ctx, String user, Set<String> found) {
        Set<String> declared = Caller.declared(ctx.principal(), ctx.headers());
        return new Caller(ctx.principal(), user, ctx.headers(), declared).classified(found);
    }
}
