package dev.fundament.retrieval;

import java.util.Map;
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
 * @param metadata   what a search may filter on and a citation shows: {@code source}, {@code uri},
 *                   {@code heading} and the source's own fields
 */
public record Chunk(String id, String document, String collection, String title, String text, float[] vector,
                    Set<String> readers, Map<String, String> metadata) {

    public Chunk {
        readers = Set.copyOf(readers);
        metadata = Map.copyOf(metadata);
    }

    public Chunk(String id, String document, String collection, String title, String text, float[] vector, Set<String> readers) {
        this(id, document, collection, title, text, vector, readers, Map.of());
    }
}
