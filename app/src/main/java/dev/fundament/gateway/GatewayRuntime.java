package dev.fundament.gateway;

import dev.fundament.config.Configuration;
import dev.fundament.config.LoadedConfig;
import dev.fundament.config.ProviderSpec;
import dev.fundament.providers.Provider;
import dev.fundament.providers.ProviderFactory;
import dev.fundament.routing.Admission;
import dev.fundament.routing.RouteTable;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Compiles the configuration into what requests run on: one {@link Provider} per configured provider
 * and the {@link RouteTable}. Built once at start-up; immutable afterwards.
 *
 */
@ApplicationScoped
public class GatewayRuntime {

    private static final Logger LOG = Logger.getLogger(GatewayRuntime.class);

    private final LoadedConfig config;
    private final RouteTable routes;

    @Inject
    public GatewayRuntime(Configuration configuration, Vertx vertx, @All List<ProviderFactory> factories) {
        this.config = configuration.get();
        Map<String, Provider> providers = new LinkedHashMap<>();
        Map<String, Boolean> direct = new LinkedHashMap<>();
        Map<String, Boolean> breakers = new LinkedHashMap<>();
        Map<String, Admission> admissions = new LinkedHashMap<>();
        config.spec().providers().forEach((name, spec) -> {
            providers.put(name, factory(factories, spec).create(name, spec, config.apiKey(name), vertx));
            direct.put(name, spec.directAccess());
            breakers.put(name, spec.circuitBreaker());
            admissions.put(name, new Admission(name, spec.maxConcurrency(), spec.maxQueue(), spec.queueTimeout().toMillis()));
        });
        this.routes = new RouteTable(config.spec().models(), providers, direct, breakers, admissions);
        LOG.infof("Configuration from %s (hash %s): providers %s, models %s", config.source(),
                config.hash().substring(0, 12), providers.keySet(), config.spec().models().keySet());
    }

    void start(@Observes StartupEvent event) {
        // Forces construction at start-up, so a broken configuration fails the start, not the first request.
        // Mutiny's context-propagation decorator wraps every callback of every request's chain to carry
        // thread-local contexts across threads; nothing here uses them (request state travels in the
        // RequestContext, logging context in Vert.x's duplicated context), and it cost ~10 % of the event
        // loops' time under load (docs/benchmarks.md), so it is switched off.
        io.smallrye.mutiny.infrastructure.Infrastructure.clearInterceptors();
    }

    void stop(@Observes ShutdownEvent event) {
        routes.providers().values().forEach(Provider::close);
    }

    private static ProviderFactory factory(List<ProviderFactory> factories, ProviderSpec spec) {
        for (ProviderFactory f : factories) {
            if (f.types().contains(spec.type())) {
                return f;
            }
        }
        throw new IllegalStateException("no provider factory for type " + spec.type());
    }

    public LoadedConfig config() {
        return config;
    }

    public RouteTable routes() {
        return routes;
    }

    /** @return whether every provider can serve (in-process models loaded) */
    public boolean ready() {
        for (Provider p : routes.providers().values()) {
            if (!p.ready()) {
                return false;
            }
        }
        return true;
    }
}
