package dev.fundament.providers.local;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import dev.fundament.providers.ProviderFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the in-process provider: the embedding model and the extractive answerer
 * ({@link ExtractiveChatProvider}). The embedding model is loaded once per process (it is read-only and
 * thread-safe), in the background, so the server starts listening at once and reports not-ready
 * until the model is there.
 */
@ApplicationScoped
public class LocalProviderFactory implements ProviderFactory {

    @Override
    public Set<ProviderType> types() {
        return EnumSet.of(ProviderType.LOCAL);
    }

    @Override
    public Provider create(String name, ProviderSpec spec, String apiKey, Vertx vertx) {
        LocalEmbeddingProvider embeddings = LocalEmbeddingProvider.shared();
        ExtractiveChatProvider extractive = new ExtractiveChatProvider();
        return new Provider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<dev.fundament.providers.ChatProvider> chat() {
                return Optional.of(extractive);
            }

            @Override
            public Optional<EmbeddingProvider> embeddings() {
                return Optional.of(embeddings);
            }

            @Override
            public List<BuiltInModel> builtInModels() {
                return List.of(new BuiltInModel(LocalEmbeddingProvider.MODEL, true, LocalEmbeddingProvider.DIMENSIONS),
                        new BuiltInModel(ExtractiveChatProvider.MODEL, false, 0));
            }

            @Override
            public boolean ready() {
                return embeddings.ready();
            }
        };
    }
}
