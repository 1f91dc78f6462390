package dev.fundament.retrieval.ingest;

import java.util.Map;

/** A collection's personal-data policy, applied to every text before it is chunked and indexed. */
@FunctionalInterface
public interface PiiFilter {

    /** Leaves everything as it is. */
    PiiFilter NONE = text -> new Result(text, Map.of(), false);

    Result apply(String text);

    /**
     * @param text    the text to index (redacted when the policy redacts)
     * @param found   how many findings per category
     * @param blocked whether the policy refuses the document
     */
    record Result(String text, Map<String, Integer> found, boolean blocked) {
    }
}
