package dev.fundament.gateway;

import dev.fundament.error.GatewayException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * When a stream is cancelled (the caller went away, or a guardrail stopped it), the upstream
 * connection is reset and the provider reports that reset after nobody listens any more; Mutiny drops
 * such failures. Those are expected and logged at debug; anything else dropped is still an error.
 */
@ApplicationScoped
class DroppedFailures {

    private static final Logger LOG = Logger.getLogger(DroppedFailures.class);

    void install(@Observes StartupEvent event) {
        Infrastructure.setDroppedExceptionHandler(failure -> {
            if (failure instanceof GatewayException g && !g.kind().name().equals("INTERNAL")) {
                LOG.debugf("After cancellation: %s", g.getMessage());
            } else {
                LOG.errorf(failure, "A failure arrived after its caller had gone");
            }
        });
    }
}
