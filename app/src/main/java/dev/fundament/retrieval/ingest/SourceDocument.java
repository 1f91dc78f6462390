package dev.fundament.retrieval.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A document as a source delivers it, before extraction.
 *
 * @param id         the document's id within its source, stable across versions (a relative path, a
 *                   primary key, a message id); the pipeline prefixes it with the source's name
 * @param uri        where a reader finds the original ({@code file:}, {@code jdbc:}, {@code mailto:} ...)
 * @param title      a title, or {@code null} to take the extracted one or the file name
 * @param modifiedAt when the source says it last changed, or {@code null}
 * @param version    the source's version token (a row version, a modification time), or {@code null}
 * @param readers    who may read it ({@link dev.fundament.retrieval.Readers} entries); empty: the
 *                   collection's default readers
 * @param metadata   source fields kept with the document and its chunks (table, sender, status ...)
 * @param content    the body, as text or as bytes for Tika
 */
public record SourceDocument(String id, String uri, String title, Instant modifiedAt, String version,
                             Set<String> readers, Map<String, String> metadata, Content content) {

    public SourceDocument {
        readers = readers != null ? Set.copyOf(readers) : Set.of();
        metadata = metadata != null ? Map.copyOf(metadata) : Map.of();
    }
}
