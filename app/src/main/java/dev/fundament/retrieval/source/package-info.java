/**
 * Connectors: folders and shares (through Tika), mail archives, record exports, databases and
 * PostgreSQL change data capture. Each implements {@link dev.fundament.retrieval.ingest.Source} and
 * is built by {@link dev.fundament.retrieval.source.Sources}; they know nothing of chunks, vectors or
 * indexes.
 */
package dev.fundament.retrieval.source;
