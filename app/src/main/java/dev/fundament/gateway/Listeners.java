package dev.fundament.gateway;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * All {@link PipelineListener} beans as one. A listener that throws is logged and skipped: observing a
 * request must never fail it.
 */
@ApplicationScoped
public class Listeners {

    private static final Logger LOG = Logger.getLogger(Listeners.class);

    private final PipelineListener[] listeners;

    @Inject
    public Listeners(@All List<PipelineListener> all) {
        this.listeners = all.toArray(PipelineListener[]::new);
    }

    void firstToken(RequestContext ctx) {
        each(ctx, PipelineListener::onFirstToken);
    }

    void success(RequestContext ctx) {
        each(ctx, PipelineListener::onSuccess);
    }

    void failure(RequestContext ctx) {
        each(ctx, PipelineListener::onFailure);
    }

    void cancel(RequestContext ctx) {
        each(ctx, PipelineListener::onCancel);
    }

    private void each(RequestContext ctx, BiConsumer<PipelineListener, RequestContext> event) {
        for (PipelineListener l : listeners) {
            try {
                event.accept(l, ctx);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Listener %s failed", l.getClass().getName());
            }
        }
    }
}
