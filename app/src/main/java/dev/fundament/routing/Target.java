package dev.fundament.routing;

import dev.fundament.providers.Provider;

/**
 * One place a route can send a request: a provider and the model name that provider knows.
 *
 * @param upstreamModel the upstream's model (for Azure the deployment name)
 */
public record Target(Provider provider, String upstreamModel) {

    /** @return {@code provider/model}, as shown in errors and metrics */
    public String label() {
        return provider.name() + "/" + upstreamModel;
    }
}
