/**
 * The request pipeline and the runtime it runs on.
 *
 * <p>{@link dev.fundament.gateway.ChatPipeline} and {@link dev.fundament.gateway.EmbeddingPipeline}
 * are the one explicit path every request takes, step by step in one method each.
 * {@link dev.fundament.gateway.GatewayRuntime} compiles the loaded configuration into providers and a
 * route table. Cross-cutting concerns (metrics, later audit and usage) observe requests through
 * {@link dev.fundament.gateway.PipelineListener}s and never change them.
 *
 * <p>Not here: HTTP (the {@code api} package), wire formats, vendor protocols.
 */
package dev.fundament.gateway;
