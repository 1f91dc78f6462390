/**
 * HTTP plumbing shared by the vendor packages: one pooled client per provider with its timeouts
 * ({@link dev.fundament.providers.http.UpstreamHttp}), an incremental server-sent-events decoder
 * ({@link dev.fundament.providers.http.SseDecoder}), and the mapping of upstream HTTP failures to
 * {@link dev.fundament.error.ErrorKind}s ({@link dev.fundament.providers.http.UpstreamErrors}).
 *
 * <p>Knows nothing about any vendor's JSON beyond the common error envelope.
 */
package dev.fundament.providers.http;
