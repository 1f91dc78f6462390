/**
 * Anthropic's Messages API ({@code POST /v1/messages}), translated both ways: vendor-neutral
 * {@link dev.fundament.inference.ChatRequest}s become Anthropic requests, and Anthropic messages and
 * stream events become OpenAI-shaped {@link dev.fundament.inference.ChatResult}s and
 * {@link dev.fundament.inference.ChatChunk}s.
 *
 * <p>Entry point: {@link dev.fundament.providers.anthropic.AnthropicProviderFactory}, the CDI bean for
 * providers of type {@code anthropic}. Everything else is package-private: the request mapper, the
 * response mapper, the stream parser and the chat provider that wires them to
 * {@link dev.fundament.providers.http.UpstreamHttp}.
 *
 * <p>Not here: HTTP pooling, timeouts and the mapping of HTTP error statuses (shared in
 * {@code providers.http}), and embeddings, which Anthropic does not offer. Request fields only OpenAI
 * understands (request {@code extensions}) are not sent.
 */
package dev.fundament.providers.anthropic;
