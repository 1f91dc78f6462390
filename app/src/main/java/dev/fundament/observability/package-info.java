/**
 * Metrics and health. {@link dev.fundament.observability.GenAiMetrics} is a pipeline listener that
 * records request count and duration, time to first token and token usage following the OpenTelemetry
 * GenAI semantic conventions; {@link dev.fundament.observability.GatewayReadiness} reports ready only
 * when the configuration is compiled and every in-process model is loaded.
 *
 * <p>Observes the gateway; the gateway never depends on it.
 */
package dev.fundament.observability;
