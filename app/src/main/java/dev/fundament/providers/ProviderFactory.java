package dev.fundament.providers;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * Creates providers of the types it serves. One CDI bean per vendor package; the gateway picks the
 * factory by {@link ProviderSpec#type()}.
 */
public interface ProviderFactory {

    Set<ProviderType> types();

    /**
     * @param name   the provider's name in the configuration
     * @param spec   its validated specification
     * @param apiKey the resolved credential, or {@code null} when none is configured
     */
    Provider create(String name, ProviderSpec spec, String apiKey, Vertx vertx);
}
