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

    /**
     * An active health check against the upstream.
     *
     * @param path below the provider's base URL
     * @return completes when the upstream answered well, fails with the reason otherwise; in-process
     *         providers always pass
     */
    default io.smallrye.mutiny.Uni<Void> probe(String path, java.time.Duration timeout) {
        return io.smallrye.mutiny.Uni.createFrom().voidItem();
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
