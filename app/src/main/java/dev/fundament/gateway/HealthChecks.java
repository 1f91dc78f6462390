package dev.fundament.gateway;

import dev.fundament.config.HealthCheckSpec;
import dev.fundament.providers.Provider;
import dev.fundament.routing.Health;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs the active health checks of the providers that configure one ({@code health_check}): a GET to
 * the upstream every interval, on a Vert.x timer. What the checks find is each provider's
 * {@link Health}, which routing reads; a change is logged once, not at every check.
 */
@ApplicationScoped
public class HealthChecks {

    private static final Logger LOG = Logger.getLogger(HealthChecks.class);

    private final List<Long> timers = new ArrayList<>();

    void start(@Observes StartupEvent event, GatewayRuntime runtime, Vertx vertx) {
        runtime.config().spec().providers().forEach((name, spec) -> {
            HealthCheckSpec check = spec.healthCheck();
            if (check == null) {
                return;
            }
            Provider provider = runtime.routes().providers().get(name);
            Health health = runtime.routes().health().get(name);
            check(provider, health, check);
            timers.add(vertx.setPeriodic(check.interval().toMillis(), id -> check(provider, health, check)));
        });
    }

    private static void check(Provider provider, Health health, HealthCheckSpec check) {
        provider.probe(check.path(), check.timeout()).subscribe().with(
                ok -> {
                    if (health.state() == Health.State.DOWN) {
                        LOG.infof("Provider '%s' passes its health check again; its targets take requests.", provider.name());
                    }
                    health.passed();
                },
                failure -> {
                    String why = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
                    if (health.failed(why)) {
                        LOG.warnf("Provider '%s' fails its health check (%s); its targets are skipped until it passes.",
                                provider.name(), why);
                    }
                });
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        timers.forEach(vertx::cancelTimer);
    }
}
