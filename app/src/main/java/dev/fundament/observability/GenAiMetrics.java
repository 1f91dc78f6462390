package dev.fundament.observability;

import dev.fundament.gateway.PipelineListener;
import dev.fundament.gateway.RequestContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request metrics after the OpenTelemetry GenAI semantic conventions, exported at {@code /q/metrics}:
 * <ul>
 *   <li>{@code gen_ai.server.request.duration} (seconds, histogram) and {@code fundament.requests}
 *       (count), by operation, requested model, provider and outcome ({@code error.type});</li>
 *   <li>{@code gen_ai.server.time_to_first_token} (seconds, histogram) for streams;</li>
 *   <li>{@code gen_ai.client.token.usage} (tokens, histogram) by {@code gen_ai.token.type}
 *       input/output.</li>
 * </ul>
 * Meters are looked up once per label combination and cached, so the hot path does no registry
 * lookups. Labels come only from configured names: a model label is a configured model (or a
 * provider's built-in model); any other name, also one that reached a provider directly as
 * {@code <provider>/<model>}, counts as {@code other}. A caller once sent a 100 KB model name that
 * became a label: a 71 MB scrape, and with a 1 MB name 6.7 GB of memory.
 */
@ApplicationScoped
public class GenAiMetrics implements PipelineListener {

    private record Key(String operation, String model, String provider, String outcome) {
    }

    private record Meters(Timer duration, Counter requests, Timer firstToken, DistributionSummary input,
                          DistributionSummary output) {
    }

    /** The label of every model name that is not configured. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();
    private final java.util.Set<String> models;

    @Inject
    public GenAiMetrics(MeterRegistry registry, dev.fundament.gateway.GatewayRuntime runtime) {
        this(registry, labels(runtime.routes()));
    }

    GenAiMetrics(MeterRegistry registry, java.util.Set<String> models) {
        this.registry = registry;
        this.models = java.util.Set.copyOf(models);
    }

    /** The model names that may be labels: configured models and providers' built-in models. */
    private static java.util.Set<String> labels(dev.fundament.routing.RouteTable routes) {
        java.util.Set<String> names = new java.util.HashSet<>(routes.configured().keySet());
        routes.providers().forEach((name, provider) -> provider.builtInModels().forEach(m -> names.add(name + "/" + m.name())));
        return names;
    }

    @Override
    public void onFirstToken(RequestContext ctx) {
        meters(ctx, "none").firstToken().record(ctx.firstTokenNanos() - ctx.startNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onSuccess(RequestContext ctx) {
        record(ctx, "none");
    }

    @Override
    public void onFailure(RequestContext ctx) {
        record(ctx, ctx.failure().kind().code());
    }

    @Override
    public void onCancel(RequestContext ctx) {
        record(ctx, "cancelled");
    }

    private void record(RequestContext ctx, String outcome) {
        Meters m = meters(ctx, outcome);
        m.duration().record(System.nanoTime() - ctx.startNanos(), TimeUnit.NANOSECONDS);
        m.requests().increment();
        if (ctx.usage().inputTokens() > 0) {
            m.input().record(ctx.usage().inputTokens());
        }
        if (ctx.usage().outputTokens() > 0) {
            m.output().record(ctx.usage().outputTokens());
        }
        for (dev.fundament.guardrails.Decision d : ctx.decisions()) {
            Counter.builder("fundament.guardrail.decisions")
                    .description("Guardrail decisions by policy, stage, category and action")
                    .tags("policy", d.policy(), "stage", d.stage().wire(), "category", d.category().wire(),
                            "action", d.action().wire())
                    .register(registry).increment();
        }
    }

    private Meters meters(RequestContext ctx, String outcome) {
        String model = ctx.target() != null && models.contains(ctx.model()) ? ctx.model() : OTHER;
        String provider = ctx.target() == null ? "_none" : ctx.target().provider().name();
        return meters.computeIfAbsent(new Key(ctx.operation().semconv(), model, provider, outcome), this::create);
    }

    private Meters create(Key k) {
        Tags tags = Tags.of("gen_ai.operation.name", k.operation(), "gen_ai.request.model", k.model(),
                "gen_ai.provider.name", k.provider());
        Tags withOutcome = tags.and("error.type", k.outcome());
        return new Meters(
                Timer.builder("gen_ai.server.request.duration").description("Duration of GenAI requests through Fundament")
                        .tags(withOutcome).publishPercentileHistogram().register(registry),
                Counter.builder("fundament.requests").description("Requests by model, provider and outcome")
                        .tags(withOutcome).register(registry),
                Timer.builder("gen_ai.server.time_to_first_token").description("Time until the first chunk of a stream")
                        .tags(tags).publishPercentileHistogram().register(registry),
                DistributionSummary.builder("gen_ai.client.token.usage").baseUnit("tokens")
                        .description("Tokens used per request").tags(tags.and("gen_ai.token.type", "input"))
                        .publishPercentileHistogram().register(registry),
                DistributionSummary.builder("gen_ai.client.token.usage").baseUnit("tokens")
                        .description("Tokens used per request").tags(tags.and("gen_ai.token.type", "output"))
                        .publishPercentileHistogram().register(registry));
    }
}
