/**
 * Company data for retrieval: the hybrid index (BM25 and HNSW vectors in one Lucene index, fused by
 * their min-max normalised scores) with document-level access control applied inside every query.
 */
package dev.fundament.retrieval;
