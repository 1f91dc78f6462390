package dev.fundament.providers.openai;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.providers.Provider;
import dev.fundament.providers.ProviderFactory;
import dev.fundament.providers.http.UpstreamHttp;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Builds providers for OpenAI and the OpenAI-compatible servers. */
@ApplicationScoped
public class OpenAiProviderFactory implements ProviderFactory {

    @Override
    public Set<ProviderType> types() {
        return EnumSet.of(ProviderType.OPENAI, ProviderType.AZURE_OPENAI, ProviderType.VLLM, ProviderType.OLLAMA,
                ProviderType.LMSTUDIO);
    }

    @Override
    public Provider create(String name, ProviderSpec spec, String apiKey, Vertx vertx) {
        UpstreamHttp http = new UpstreamHttp(io.vertx.mutiny.core.Vertx.newInstance(vertx), name, spec);
        OpenAiEndpoints endpoints = new OpenAiEndpoints(spec, apiKey);
        OpenAiChatProvider chat = new OpenAiChatProvider(http, endpoints, spec.askForUsage());
        OpenAiEmbeddingProvider embeddings = new OpenAiEmbeddingProvider(http, endpoints);
        return new Provider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<dev.fundament.providers.ChatProvider> chat() {
                return Optional.of(chat);
            }

            @Override
            public Optional<dev.fundament.providers.EmbeddingProvider> embeddings() {
                return Optional.of(embeddings);
            }

            @Override
            public io.smallrye.mutiny.Uni<Void> probe(String path, java.time.Duration timeout) {
                return http.probe(path, endpoints.headers(), timeout);
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }
}
