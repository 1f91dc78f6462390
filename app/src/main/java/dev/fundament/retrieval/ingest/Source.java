package dev.fundament.retrieval.ingest;

/**
 * A connector: reads one source of a collection and reports what it finds to the pipeline through
 * its {@link SourceContext}. Implementations hold no state between runs beyond what they store with
 * {@link SourceContext#saveCursor}: a run that stops half-way is resumed from the last saved cursor,
 * and the pipeline skips documents whose content did not change, so a repeated run is harmless.
 */
public interface Source {

    /**
     * One pass for a polling source (a folder, a table, an export file): report every new or changed
     * document and every deletion since the last run, then return. A streaming source (change data
     * capture) runs until {@link SourceContext#stopping()} and returns then.
     *
     * @throws Exception when the source cannot be reached; the error is shown on health and in the
     *                   API, and the run is retried at the next interval
     */
    void run(SourceContext context) throws Exception;

    /** @return true for a source that runs continuously instead of once per interval */
    default boolean streaming() {
        return false;
    }
}
