package dev.fundament.observability;

import dev.fundament.retrieval.Collections;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code /q/health/group/connectors}: down while any collection source failed its last run (its
 * server unreachable, its folder missing), naming each with its error. A group of its own, not
 * readiness: a broken connector must not take the gateway out of a load balancer.
 */
@HealthGroup("connectors")
@ApplicationScoped
public class ConnectorHealth implements AsyncHealthCheck {

    private final Collections collections;

    @Inject
    public ConnectorHealth(Collections collections) {
        this.collections = collections;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(this::check).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private HealthCheckResponse check() {
        Map<String, String> failing = collections.failingSources();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("connectors").status(failing.isEmpty())
                .withData("collections", collections.list().size());
        failing.forEach((source, error) -> b.withData(source, error == null ? "failing" : error));
        return b.build();
    }
}
