package dev.fundament.routing;

import dev.fundament.config.ModelKind;
import dev.fundament.config.ModelSpec;
import dev.fundament.config.RouteStrategy;
import dev.fundament.config.ShadowSpec;
import dev.fundament.config.TargetSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.providers.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves a requested model name to its route. Configured names win; then {@code <provider>/<model>}
 * reaches any model of a provider whose {@code direct_access} is on (built-in models of in-process
 * providers always). Direct routes are cached, bounded, since callers may invent any name.
 * Immutable apart from that cache; thread-safe.
 */
public final class RouteTable {

    private static final int MAX_DIRECT_ROUTES = 10_000;

    private final Map<String, Route> configured;
    private final Map<String, Provider> providers;
    private final Map<String, Boolean> directAccess;
    private final Map<String, Route> direct = new ConcurrentHashMap<>();
    private final Map<String, Admission> admissions;
    private final Map<String, Health> health;
    private final Map<String, Map<String, Integer>> configuredWeights;

    /**
     * @param providers    built providers by name
     * @param directAccess each provider's {@code direct_access} flag
     */
    public RouteTable(Map<String, ModelSpec> models, Map<String, Provider> providers, Map<String, Boolean> directAccess) {
        this(models, providers, directAccess, Map.of());
    }

    /** @param breakers each provider's {@code circuit_breaker} flag; default on */
    public RouteTable(Map<String, ModelSpec> models, Map<String, Provider> providers, Map<String, Boolean> directAccess,
                      Map<String, Boolean> breakers) {
        this(models, providers, directAccess, breakers, Map.of());
    }

    /** @param admissions each provider's admission control; default unlimited */
    public RouteTable(Map<String, ModelSpec> models, Map<String, Provider> providers, Map<String, Boolean> directAccess,
                      Map<String, Boolean> breakers, Map<String, Admission> admissions) {
        this(models, providers, directAccess, breakers, admissions, Map.of());
    }

    /** @param health each provider's health, as its active check sees it; default unchecked */
    public RouteTable(Map<String, ModelSpec> models, Map<String, Provider> providers, Map<String, Boolean> directAccess,
                      Map<String, Boolean> breakers, Map<String, Admission> admissions, Map<String, Health> health) {
        this.admissions = Map.copyOf(admissions);
        Map<String, Health> healths = new LinkedHashMap<>(health);
        providers.keySet().forEach(p -> healths.computeIfAbsent(p, k -> new Health()));
        this.health = Map.copyOf(healths);
        Map<String, Map<String, Integer>> weights = new LinkedHashMap<>();
        models.forEach((name, spec) -> {
            Map<String, Integer> w = new LinkedHashMap<>();
            for (TargetSpec t : spec.allTargets()) {
                if (t.version() != null) {
                    w.merge(t.version(), t.weight() == null ? 0 : t.weight(), Integer::sum);
                }
            }
            weights.put(name, w);
        });
        this.configuredWeights = Map.copyOf(weights);
        this.providers = Map.copyOf(providers);
        this.directAccess = Map.copyOf(directAccess);
        Map<String, Route> routes = new LinkedHashMap<>();
        models.forEach((name, spec) -> {
            List<Target> targets = new ArrayList<>();
            for (TargetSpec t : spec.allTargets()) {
                targets.add(target(t.provider(), t.model() != null ? t.model() : name, t.version(), t.weight(),
                        breakers.getOrDefault(t.provider(), true), Condition.of(t.when())));
            }
            ShadowSpec s = spec.shadow();
            Route.Shadow shadow = s == null ? null : new Route.Shadow(target(s.provider(), s.model() != null ? s.model() : name,
                    s.version(), null, breakers.getOrDefault(s.provider(), true), Condition.ALWAYS), s.percent());
            routes.put(name, new Route(name, spec.kind(), targets, true, spec.strategy(), Condition.of(spec.rollout()), shadow,
                    spec.timeout()));
        });
        this.configured = java.util.Collections.unmodifiableMap(routes);
    }

    private Target target(String provider, String model, String version, Integer weight, boolean breaker, Condition when) {
        return new Target(providers.get(provider), model, version, new AtomicInteger(weight == null ? 0 : weight),
                new CircuitBreaker(breaker), new AtomicInteger(), admission(provider), when, new Latency(), health.get(provider));
    }

    /** @return each provider's health */
    public Map<String, Health> health() {
        return health;
    }

    private Admission admission(String provider) {
        return admissions.getOrDefault(provider, Admission.unlimited(provider));
    }

    /** @return each provider's admission control */
    public Map<String, Admission> admissions() {
        return admissions;
    }

    /**
     * Sets the weights of a configured route's targets by version label: A/B shares, a canary, a
     * promotion (one version 100, the others 0) or a rollback. Versions not named get weight 0.
     *
     * @return the weights before the change, by version
     * @throws GatewayException 404 for an unknown model, 400 for an unknown version or weights that add up to 0
     */
    public synchronized Map<String, Integer> weigh(String model, Map<String, Integer> byVersion) {
        Route route = configured.get(model);
        if (route == null) {
            throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "No configured model '" + model + "'.", "model");
        }
        java.util.Set<String> versions = new java.util.LinkedHashSet<>();
        route.targets().forEach(t -> versions.add(t.version()));
        for (Map.Entry<String, Integer> e : byVersion.entrySet()) {
            if (!versions.contains(e.getKey())) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Model '" + model + "' has no target with version '"
                        + e.getKey() + "'; its versions are " + versions + ".", "weights." + e.getKey());
            }
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 1000) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "The weight of version '" + e.getKey()
                        + "' must be a whole number from 0 to 1000.", "weights." + e.getKey());
            }
        }
        if (byVersion.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The weights add up to 0: give one version a positive weight.",
                    "weights");
        }
        Map<String, Integer> before = new LinkedHashMap<>();
        for (Target t : route.targets()) {
            before.merge(String.valueOf(t.version()), t.weight(), Integer::sum);
            t.weights().set(byVersion.getOrDefault(t.version(), 0));
        }
        return before;
    }

    /** @return the configured weights of a route by version, as fundament.yaml gives them */
    public Map<String, Integer> configuredWeights(String model) {
        return configuredWeights.getOrDefault(model, Map.of());
    }

    /** @return the configured routes, in configuration order */
    public Map<String, Route> configured() {
        return configured;
    }

    public Map<String, Provider> providers() {
        return providers;
    }

    /** @throws GatewayException 404 when the model is unknown, 400 when it serves the other kind */
    public Route resolve(String model, ModelKind kind) {
        Route route = configured.get(model);
        if (route == null) {
            route = direct.get(model);
        }
        if (route == null) {
            route = directRoute(model, kind);
        }
        if (route.kind() != kind) {
            throw new GatewayException(ErrorKind.WRONG_MODEL_KIND, "Model '" + model + "' is " + article(route.kind())
                    + " model; use " + (route.kind() == ModelKind.CHAT ? "/v1/chat/completions" : "/v1/embeddings") + ".", "model");
        }
        return route;
    }

    private Route directRoute(String model, ModelKind kind) {
        int slash = model.indexOf('/');
        Provider provider = slash > 0 ? providers.get(model.substring(0, slash)) : null;
        String upstream = slash > 0 ? model.substring(slash + 1) : "";
        if (provider == null || upstream.isEmpty() || !reachable(provider, upstream)) {
            throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, notFound(model), "model");
        }
        ModelKind actual = kind;
        for (Provider.BuiltInModel builtIn : provider.builtInModels()) {
            if (builtIn.name().equals(upstream)) {
                actual = builtIn.embedding() ? ModelKind.EMBEDDING : ModelKind.CHAT;
            }
        }
        if (actual == ModelKind.CHAT && provider.chat().isEmpty() || actual == ModelKind.EMBEDDING && provider.embeddings().isEmpty()) {
            throw new GatewayException(ErrorKind.WRONG_MODEL_KIND, "Provider '" + provider.name() + "' serves no "
                    + (kind == ModelKind.CHAT ? "chat" : "embedding") + " models; '" + model + "' cannot be used here.", "model");
        }
        Route route = new Route(model, actual, List.of(target(provider.name(), upstream, null, null, true, Condition.ALWAYS)), false,
                RouteStrategy.ORDERED, Condition.ALWAYS, null);
        if (direct.size() < MAX_DIRECT_ROUTES) {
            direct.put(model, route);
        }
        return route;
    }

    private boolean reachable(Provider provider, String upstream) {
        for (Provider.BuiltInModel builtIn : provider.builtInModels()) {
            if (builtIn.name().equals(upstream)) {
                return true;
            }
        }
        return provider.builtInModels().isEmpty() && directAccess.getOrDefault(provider.name(), false);
    }

    private String notFound(String model) {
        StringBuilder known = new StringBuilder();
        configured.keySet().forEach(n -> known.append(known.isEmpty() ? "" : ", ").append(n));
        providers.values().forEach(p -> p.builtInModels().forEach(
                m -> known.append(known.isEmpty() ? "" : ", ").append(p.name()).append('/').append(m.name())));
        List<String> direct = new ArrayList<>();
        providers.forEach((name, p) -> {
            if (p.builtInModels().isEmpty() && directAccess.getOrDefault(name, false)) {
                direct.add(name);
            }
        });
        String hint = direct.isEmpty() ? ""
                : " A provider's model can also be named directly as '<provider>/<model>', with provider one of: "
                + String.join(", ", direct) + ".";
        return "The model '" + model + "' does not exist. Available models: " + known + "." + hint;
    }

    private static String article(ModelKind kind) {
        return kind == ModelKind.CHAT ? "a chat" : "an embedding";
    }
}
