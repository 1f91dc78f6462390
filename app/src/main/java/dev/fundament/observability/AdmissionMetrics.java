package dev.fundament.observability;

import dev.fundament.gateway.GatewayRuntime;
import dev.fundament.routing.Admission;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Load per provider for dashboards and autoscalers: {@code fundament_provider_in_flight} (calls
 * running under admission control) and {@code fundament_provider_queued} (calls waiting for a slot).
 */
@ApplicationScoped
class AdmissionMetrics {

    void register(@Observes StartupEvent event, GatewayRuntime runtime, MeterRegistry registry) {
        runtime.routes().admissions().forEach((provider, admission) -> {
            Gauge.builder("fundament.provider.in_flight", admission, Admission::inFlight)
                    .description("Calls running under the provider's admission control").tag("provider", provider)
                    .register(registry);
            Gauge.builder("fundament.provider.queued", admission, Admission::queued)
                    .description("Calls waiting for a slot at the provider").tag("provider", provider).register(registry);
        });
    }
}
