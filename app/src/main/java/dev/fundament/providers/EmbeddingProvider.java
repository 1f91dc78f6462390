package dev.fundament.providers;

import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import io.smallrye.mutiny.Uni;

/** Embeddings against one upstream or in-process model. */
public interface EmbeddingProvider {

    Uni<EmbeddingResult> embed(String upstreamModel, EmbeddingRequest request);
}
