package dev.fundament.retrieval.ingest;

import java.util.Map;

/**
 * What a connector reports to, and what it may ask: documents are processed as they are reported
 * ({@link #upsert} returns once the document is stored or recorded as failed), so a connector never
 * holds more than the document at hand.
 */
public interface SourceContext {

    /** New or changed content; unchanged content (same hash as stored) is recognised and skipped. */
    void upsert(SourceDocument document);

    /** The document is gone from the source: its chunks leave the index. Unknown ids are ignored. */
    void delete(String id);

    /** A document the source found but could not read; recorded with the reason, the run goes on. */
    void failed(String id, String uri, String reason);

    /**
     * The documents this source reported before, by id, with the version token they had. A polling
     * source compares it with what it finds to skip unchanged documents without reading them and to
     * find deletions.
     */
    Map<String, String> known();

    /** @return the cursor saved by the last run (a column value, a log position), or {@code null} */
    String cursor();

    /** Saves the cursor durably; call it after the documents it covers were reported. */
    void saveCursor(String cursor);

    /** How many documents the source expects to report in this run, for progress and ETA; -1 unknown. */
    void expect(long documents);

    /** @return true once the collection is being stopped or removed; a connector returns soon after */
    boolean stopping();
}
