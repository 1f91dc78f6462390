package dev.fundament.retrieval;

import java.util.List;

/**
 * Turns texts into vectors with a named embedding model (a public model name such as
 * {@code local/bge-small-en-v1.5}). Supplied by the gateway, which knows the providers; blocking, so
 * it is called from ingestion threads and the search path's worker threads, never an event loop.
 */
public interface Embedder {

    /** @return one vector per text, in order */
    List<float[]> embed(String model, List<String> texts);
}
