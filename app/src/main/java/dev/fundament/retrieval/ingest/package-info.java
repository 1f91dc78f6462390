/**
 * Ingestion: the connector SPI ({@link dev.fundament.retrieval.ingest.Source},
 * {@link dev.fundament.retrieval.ingest.SourceContext}) and the pipeline every document goes
 * through before it reaches the store: extract (Tika), normalise, personal-data policy,
 * structure-aware chunking, batched embedding. Entry point: {@link dev.fundament.retrieval.ingest.Pipeline}.
 */
package dev.fundament.retrieval.ingest;
