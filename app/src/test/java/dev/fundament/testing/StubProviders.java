package dev.fundament.testing;

import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import java.util.Optional;

/** Providers that exist by name only, for routing tests that never call them. */
public final class StubProviders {

    private StubProviders() {
    }

    public static Provider named(String name) {
        return new Provider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<ChatProvider> chat() {
                return Optional.empty();
            }

            @Override
            public Optional<EmbeddingProvider> embeddings() {
                return Optional.empty();
            }
        };
    }
}
