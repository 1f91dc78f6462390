package dev.fundament.retrieval;

import java.util.Set;

/**
 * One searchable piece of a document.
 *
 * @param id         unique across the index, such as {@code <document>#<n>}
 * @param document   the document it belongs to; re-indexing a document replaces all its chunks
 * @param collection the collection it is searched in
 * @param vector     its embedding
 * @param readers    who may read it: {@link Readers} entries such as {@code team:hr}, {@code user:ann},
 *                   {@code group:works-council}, or {@code public}
 */
public record Chunk(String id, String document, String collection, String title, String text, float[] vector,
                    Set<String> readers) {

    public Chunk {
        readers = Set.copyOf(readers);
    }
}
