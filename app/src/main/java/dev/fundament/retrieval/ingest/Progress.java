package dev.fundament.retrieval.ingest;

import java.time.Instant;

/**
 * How a source's current or last run is going, as the API and CLI show it.
 *
 * @param state            {@code idle}, {@code running} or {@code failing}
 * @param expected         documents the source expects to report in this run, -1 when unknown
 * @param seen             documents reported so far (indexed, unchanged or failed)
 * @param chunksPerSecond  chunks indexed per second over the run so far
 * @param etaSeconds       estimated seconds to finish, -1 when unknown
 */
public record Progress(String state, Instant startedAt, Instant finishedAt, long expected, long seen, long indexed,
                       long unchanged, long failed, long deleted, long chunks, double documentsPerSecond,
                       double chunksPerSecond, long etaSeconds, String error) {
}
