/**
 * Vendor-neutral inference types: what a chat or embedding call is, inside Fundament.
 *
 * <p>Owns {@link dev.fundament.inference.ChatRequest}, {@link dev.fundament.inference.ChatResult},
 * {@link dev.fundament.inference.ChatChunk}, {@link dev.fundament.inference.Message} and their parts,
 * and the embedding records. These are the only shapes the pipeline, guardrails, audit and usage see;
 * wire formats are translated to and from them at the edges (the HTTP API, each provider).
 *
 * <p>Fields Fundament does not model are kept as raw JSON in {@code extensions} maps, so that a request
 * to an OpenAI-compatible upstream carries them through untouched. Depends on nothing but Jackson's
 * tree model.
 */
package dev.fundament.inference;
