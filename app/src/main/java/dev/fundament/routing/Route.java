package dev.fundament.routing;

import dev.fundament.config.ModelKind;
import java.util.List;

/**
 * A public model name and its targets, in fallback order.
 *
 * @param configured false for a direct {@code <provider>/<model>} route made on demand
 */
public record Route(String name, ModelKind kind, List<Target> targets, boolean configured) {

    public Route {
        targets = List.copyOf(targets);
    }
}
