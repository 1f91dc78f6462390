package dev.fundament.retrieval;

import java.util.Map;

/**
 * A ranked chunk.
 *
 * @param score      its fused score, 0 to 1: the weighted mean of its min-max normalised text and vector
 *                   scores among the candidates (see {@link HybridIndex})
 * @param textRank   its rank by BM25 (1 is best), 0 when the text search did not find it
 * @param vectorRank its rank by vector similarity, 0 when the vector search did not find it
 * @param metadata   the chunk's metadata ({@link Chunk#metadata()})
 */
public record Hit(String id, String document, String title, String text, double score, int textRank, int vectorRank,
                  Map<String, String> metadata) {

    public Hit(String id, String document, String title, String text, double score, int textRank, int vectorRank) {
        this(id, document, title, text, score, textRank, vectorRank, Map.of());
    }
}
