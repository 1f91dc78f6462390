package dev.fundament.inference;

import java.util.List;

/**
 * Embeddings in the order of the request's inputs.
 *
 * @param model the model that produced them
 */
public record EmbeddingResult(String model, List<float[]> vectors, Usage usage) {

    public EmbeddingResult {
        vectors = List.copyOf(vectors);
    }
}
