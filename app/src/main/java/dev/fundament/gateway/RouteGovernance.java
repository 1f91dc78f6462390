package dev.fundament.gateway;

import dev.fundament.error.GatewayException;
import dev.fundament.routing.Route;
import dev.fundament.routing.RouteTable;
import dev.fundament.routing.RoutingStore;
import dev.fundament.routing.ShadowResult;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Route weights changed through the admin API: promotions, canary shares, A/B splits, rollbacks. A
 * change is checked and applied here, stored in {@code route_weights}, and read back by every instance
 * every {@value #RELOAD_SECONDS} s, so all instances follow within seconds and a restart keeps it. A
 * rollback deletes the stored weights: fundament.yaml's apply again.
 */
@ApplicationScoped
public class RouteGovernance {

    static final int RELOAD_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(RouteGovernance.class);

    private final RouteTable routes;
    private final RoutingStore store;
    private final Clock clock;
    private volatile Map<String, RoutingStore.Weights> stored = Map.of();
    private long timer = -1;

    @Inject
    public RouteGovernance(GatewayRuntime runtime, Storage storage) {
        this(runtime.routes(), new RoutingStore(storage.dataSource()), Clock.systemUTC());
    }

    RouteGovernance(RouteTable routes, RoutingStore store, Clock clock) {
        this.routes = routes;
        this.store = store;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        reload();
        timer = vertx.setPeriodic(RELOAD_SECONDS * 1000L, id -> vertx.executeBlocking(() -> {
            reload();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Sets a model's weights by version, stores them and applies them here; blocking.
     *
     * @param byVersion every version's new weight; versions not named get 0
     * @return the weights before, by version
     * @throws GatewayException 404 for an unknown model, 400 for an unknown version or impossible weights
     */
    public synchronized Map<String, Integer> weigh(String actor, String model, Map<String, Integer> byVersion) {
        Map<String, Integer> before = routes.weigh(model, byVersion);
        Map<String, Integer> all = routes.configured().get(model).weights();
        try {
            store.putWeights(new RoutingStore.Weights(model, all, clock.instant(), actor));
        } catch (RuntimeException e) {
            routes.weigh(model, before);
            throw e;
        }
        reload();
        return before;
    }

    /** Back to fundament.yaml's weights, here and (after their next reload) on every instance. */
    public synchronized Map<String, Integer> rollback(String model) {
        Map<String, Integer> before = routes.weigh(model, routes.configuredWeights(model));
        store.removeWeights(model);
        reload();
        return before;
    }

    /** @return the admin-set weights of a model, or null when fundament.yaml's apply */
    public RoutingStore.Weights stored(String model) {
        return stored.get(model);
    }

    /** Reads the stored weights and applies them; keeps the last ones read when the database is unreachable. */
    final synchronized void reload() {
        Map<String, RoutingStore.Weights> next;
        try {
            next = store.weights();
        } catch (RuntimeException e) {
            LOG.warnf("Route weights cannot be reloaded (%s); the last ones read stay in force.", e.getMessage());
            return;
        }
        stored = Map.copyOf(next);
        routes.configured().forEach((model, route) -> {
            RoutingStore.Weights w = next.get(model);
            Map<String, Integer> wanted = w != null ? w.byVersion() : routes.configuredWeights(model);
            if (!wanted.isEmpty() && !wanted.equals(route.weights())) {
                try {
                    routes.weigh(model, wanted);
                } catch (GatewayException e) {
                    LOG.warnf("Stored route weights of model '%s' no longer fit its targets (%s); fundament.yaml's apply.",
                            model, e.getMessage());
                    routes.weigh(model, routes.configuredWeights(model));
                }
            }
        });
    }

    /** @return a model's newest shadow results and their sum */
    public Shadows shadows(String model, int limit) {
        return new Shadows(store.shadowSummary(model), store.shadowResults(model, limit));
    }

    /** A model's shadow results: the sum and the newest. */
    public record Shadows(RoutingStore.ShadowSummary summary, List<ShadowResult> newest) {
    }
}
