/**
 * The provider SPI: how Fundament talks to a model server. {@link dev.fundament.providers.ChatProvider}
 * and {@link dev.fundament.providers.EmbeddingProvider} take vendor-neutral requests and return
 * vendor-neutral results; each vendor package ({@code openai}, {@code anthropic}, {@code local}) holds
 * its wire types and mapping and registers a {@link dev.fundament.providers.ProviderFactory} bean.
 *
 * <p>Not here: choosing a target, fallbacks and retries (the gateway's route loop), credentials
 * policy, guardrails. Vendor packages never import each other.
 */
package dev.fundament.providers;
