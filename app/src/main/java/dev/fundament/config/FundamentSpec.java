package dev.fundament.config;

import java.util.Map;

/**
 * The whole of {@code fundament.yaml}.
 *
 * @param server    HTTP edge settings of the product (Quarkus's own stay in application.properties)
 * @param providers upstreams by name; a provider named {@code local} (in-process models) is always added
 * @param models    public model names by name
 */
public record FundamentSpec(ServerSpec server, Map<String, ProviderSpec> providers, Map<String, ModelSpec> models) {

    public FundamentSpec {
        server = server != null ? server : new ServerSpec(null);
        providers = providers != null ? providers : Map.of();
        models = models != null ? models : Map.of();
    }
}
