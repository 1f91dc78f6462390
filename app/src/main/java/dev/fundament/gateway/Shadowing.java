package dev.fundament.gateway;

import dev.fundament.guardrails.Guarded;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.Usage;
import dev.fundament.routing.Admission;
import dev.fundament.routing.Route;
import dev.fundament.routing.RoutingStore;
import dev.fundament.routing.ShadowResult;
import dev.fundament.routing.Target;
import dev.fundament.storage.Storage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Shadow traffic: a share of a model's requests is copied to its shadow candidate, whose answer never
 * reaches the caller; once both calls have ended, both results go to {@code shadow_results} for
 * comparison (admin API {@code /admin/v1/routes/{model}/shadow}).
 *
 * <p>The copy is the request after the input guardrails (redacted as the real call sees it), sent
 * whole (not streamed), as batch priority under the candidate provider's admission control, and
 * detached from the caller: a caller who goes away does not cancel it. A request whose route a
 * residency rule narrowed is never copied, so shadowing cannot send data where the rule forbids.
 * At most {@value #MAX_IN_FLIGHT} copies run at once; more are skipped, and results are written by
 * one thread from a bounded queue, dropped (and counted) when the database falls behind: shadow
 * traffic must never slow the real traffic. Outcomes are counted in {@code fundament_shadow_total}.
 */
@ApplicationScoped
public class Shadowing implements PipelineListener {

    static final int MAX_IN_FLIGHT = 64;
    private static final Logger LOG = Logger.getLogger(Shadowing.class);

    private final RoutingStore store;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000),
            r -> {
                Thread t = new Thread(r, "shadow-results");
                t.setDaemon(true);
                return t;
            }, (task, executor) -> { });
    private final Counter copied;
    private final Counter skipped;
    private final Counter recorded;
    private final Counter dropped;

    @Inject
    public Shadowing(Storage storage, MeterRegistry registry) {
        this(new RoutingStore(storage.dataSource()), registry);
    }

    Shadowing(RoutingStore store, MeterRegistry registry) {
        this.store = store;
        this.copied = counter(registry, "copied");
        this.skipped = counter(registry, "skipped");
        this.recorded = counter(registry, "recorded");
        this.dropped = counter(registry, "dropped");
        writer.setRejectedExecutionHandler((task, executor) -> dropped.increment());
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("fundament.shadow").description("Requests copied to shadow candidates, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /**
     * Draws whether this request is copied; when it is, starts the copy.
     *
     * @param route the route as planned, before the guardrails
     */
    void copy(RequestContext ctx, Route route, Guarded guarded) {
        Route.Shadow shadow = route.shadow();
        if (shadow == null || shadow.percent() <= 0 || ThreadLocalRandom.current().nextInt(100) >= shadow.percent()) {
            return;
        }
        if (guarded.route() != route) {
            return; // a residency rule narrowed the route: the candidate may not see this request
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            skipped.increment();
            return;
        }
        copied.increment();
        Call call = new Call(ctx.requestId(), route.name());
        ctx.shadow(call);
        Target target = shadow.target();
        long start = System.nanoTime();
        target.admission().acquire(new Admission.Ticket(ctx.principal().team(), true))
                .onItem().transformToUni(permit -> target.provider().chat().orElseThrow()
                        .chat(target.upstreamModel(), guarded.request().withModel(route.name()))
                        .onTermination().invoke(permit::release))
                .subscribe().with(
                        result -> {
                            inFlight.decrementAndGet();
                            call.shadow(outcome(target, "ok", start, result.usage(), answer(result)));
                        },
                        failure -> {
                            inFlight.decrementAndGet();
                            String status = failure instanceof dev.fundament.error.GatewayException g ? g.kind().code() : "internal_error";
                            call.shadow(outcome(target, status, start, Usage.NONE, null));
                        });
    }

    @Override
    public void onSuccess(RequestContext ctx) {
        primary(ctx, "ok");
    }

    @Override
    public void onFailure(RequestContext ctx) {
        primary(ctx, ctx.failure().kind().code());
    }

    @Override
    public void onCancel(RequestContext ctx) {
        primary(ctx, "cancelled");
    }

    private void primary(RequestContext ctx, String status) {
        Call call = ctx.shadow();
        if (call != null) {
            Target t = ctx.target();
            call.primary(new ShadowResult.Outcome(t == null ? null : t.label(), t == null ? null : t.version(), status,
                    (System.nanoTime() - ctx.startNanos()) / 1_000_000, ctx.usage().outputTokens(),
                    "ok".equals(status) ? ctx.answer() : null));
        }
    }

    private static ShadowResult.Outcome outcome(Target target, String status, long start, Usage usage, String answer) {
        return new ShadowResult.Outcome(target.label(), target.version(), status, (System.nanoTime() - start) / 1_000_000,
                usage.outputTokens(), answer);
    }

    private static String answer(ChatResult result) {
        StringBuilder b = new StringBuilder();
        for (ChatResult.Choice c : result.choices()) {
            b.append(c.message().text());
        }
        return b.toString();
    }

    private void record(ShadowResult result) {
        writer.execute(() -> {
            try {
                store.insert(result);
                recorded.increment();
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.warnf("A shadow result was not stored (%s).", e.getMessage());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One copied request: both sides' outcomes, recorded when the second arrives. */
    final class Call {
        private final String requestId;
        private final String model;
        private final Instant at = Instant.now();
        private ShadowResult.Outcome primary;
        private ShadowResult.Outcome shadow;
        private boolean done;

        Call(String requestId, String model) {
            this.requestId = requestId;
            this.model = model;
        }

        void primary(ShadowResult.Outcome outcome) {
            both(outcome, null);
        }

        void shadow(ShadowResult.Outcome outcome) {
            both(null, outcome);
        }

        private void both(ShadowResult.Outcome p, ShadowResult.Outcome s) {
            ShadowResult result = null;
            synchronized (this) {
                if (p != null && primary == null) {
                    primary = p;
                }
                if (s != null && shadow == null) {
                    shadow = s;
                }
                if (primary != null && shadow != null && !done) {
                    done = true;
                    result = ShadowResult.of(requestId, model, at, primary, shadow);
                }
            }
            if (result != null) {
                record(result);
            }
        }
    }
}
