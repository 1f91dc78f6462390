/**
 * The OpenAI wire format, read and written.
 *
 * <p>OpenAI's chat and embeddings JSON is both Fundament's public API and the upstream format of every
 * OpenAI-compatible server (OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio). One codec serves both
 * borders, so the HTTP edge and the OpenAI provider cannot drift apart: requests are read at the edge
 * and written to the upstream; results and chunks are read from the upstream and written at the edge.
 * See docs/adr/0003-openai-codec-beside-inference.md.
 *
 * <p>Entry points: {@link dev.fundament.inference.openai.OpenAiRequestReader},
 * {@link dev.fundament.inference.openai.OpenAiRequestWriter},
 * {@link dev.fundament.inference.openai.OpenAiResponseReader},
 * {@link dev.fundament.inference.openai.OpenAiResponseWriter}.
 */
package dev.fundament.inference.openai;
