package dev.fundament.observability;

import dev.fundament.gateway.GatewayRuntime;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the configuration is compiled (the runtime exists: a broken configuration stops the
 * start) and every provider can serve, which for the in-process provider means its model is loaded.
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements AsyncHealthCheck {

    private final GatewayRuntime runtime;

    @Inject
    public GatewayReadiness(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        boolean ready = runtime.ready();
        return Uni.createFrom().item(HealthCheckResponse.named("gateway").status(ready)
                .withData("config_hash", runtime.config().hash())
                .withData("providers", String.join(",", runtime.routes().providers().keySet()))
                .withData("models_loaded", ready)
                .build());
    }
}
