/**
 * OpenAI and every server that speaks its API: OpenAI, Azure OpenAI (deployment URLs, {@code api-version},
 * {@code api-key} header), vLLM, Ollama, LM Studio and any other {@code /v1} server.
 *
 * <p>Entry point: {@link dev.fundament.providers.openai.OpenAiProviderFactory}. Requests and answers are
 * read and written by the shared OpenAI codec in {@code inference.openai}; this package adds only the
 * URLs, headers and stream framing of each flavour.
 */
package dev.fundament.providers.openai;
