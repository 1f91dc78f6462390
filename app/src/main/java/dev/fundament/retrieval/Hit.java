package dev.fundament.retrieval;

/**
 * A ranked chunk.
 *
 * @param score      its reciprocal-rank fusion score
 * @param textRank   its rank by BM25 (1 is best), 0 when the text search did not find it
 * @param vectorRank its rank by vector similarity, 0 when the vector search did not find it
 */
public record Hit(String id, String document, String title, String text, double score, int textRank, int vectorRank) {
}
