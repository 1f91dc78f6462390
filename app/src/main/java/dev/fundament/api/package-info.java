/**
 * The HTTP edge: OpenAI-compatible endpoints under {@code /v1}, the SSE writer, and the one place
 * errors become responses.
 *
 * <p>{@link dev.fundament.api.OpenAiRoutes} registers plain Vert.x routes, not JAX-RS resources: the
 * hot path needs control over body limits, backpressure and disconnects, and no framework default
 * page may ever answer (see docs/adr/0002-vertx-routes-for-the-hot-path.md). Every error, from a
 * malformed body to a broken upstream, is rendered by {@link dev.fundament.api.ErrorResponses} in
 * OpenAI's shape. The OpenAPI description is {@code META-INF/openapi.yaml}.
 *
 * <p>Nothing imports this package.
 */
package dev.fundament.api;
