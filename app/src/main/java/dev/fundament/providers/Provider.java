package dev.fundament.providers;

import java.util.List;
import java.util.Optional;

/**
 * One configured provider: a named upstream with its capabilities. Built once per configuration by
 * its {@link ProviderFactory} and closed when the configuration is replaced or the server stops.
 */
public interface Provider extends AutoCloseable {

    /** @return the provider's name in {@code fundament.yaml} */
    String name();

    Optional<ChatProvider> chat();

    Optional<EmbeddingProvider> embeddings();

    /** @return models this provider brings itself (in-process models), listed in {@code /v1/models} */
    default List<BuiltInModel> builtInModels() {
        return List.of();
    }

    /** @return false while the provider cannot serve yet (an in-process model still loading) */
    default boolean ready() {
        return true;
    }

    @Override
    default void close() {
    }

    /**
     * A model a provider brings itself.
     *
     * @param name       the upstream model name, without the provider prefix
     * @param dimensions the embedding size, for embedding models
     */
    record BuiltInModel(String name, boolean embedding, int dimensions) {
    }
}
