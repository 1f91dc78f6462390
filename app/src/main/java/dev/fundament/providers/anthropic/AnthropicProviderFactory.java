package dev.fundament.providers.anthropic;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.providers.Provider;
import dev.fundament.providers.ProviderFactory;
import dev.fundament.providers.http.UpstreamHttp;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Set;

/**
 * Builds providers of type {@code anthropic}: one pooled {@link UpstreamHttp} per provider, shared by
 * all its requests. Stateless, so one bean serves every configuration reload.
 */
@ApplicationScoped
public class AnthropicProviderFactory implements ProviderFactory {

    @Override
    public Set<ProviderType> types() {
        return EnumSet.of(ProviderType.ANTHROPIC);
    }

    @Override
    public Provider create(String name, ProviderSpec spec, String apiKey, Vertx vertx) {
        UpstreamHttp http = new UpstreamHttp(io.vertx.mutiny.core.Vertx.newInstance(vertx), name, spec);
        return new AnthropicProvider(name, http, new AnthropicChatProvider(http, spec, apiKey));
    }
}
