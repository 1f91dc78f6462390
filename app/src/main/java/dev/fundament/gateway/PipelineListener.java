package dev.fundament.gateway;

/**
 * Observes requests; every method has a no-op default so the pipeline never checks for null. Called on
 * the request's event loop: implementations must be fast and must not block or throw.
 *
 * <p>Exactly one of {@link #onSuccess}, {@link #onFailure} and {@link #onCancel} is called per request
 * that reached the pipeline.
 */
public interface PipelineListener {

    default void onFirstToken(RequestContext ctx) {
    }

    default void onSuccess(RequestContext ctx) {
    }

    /** The caller received an error; {@link RequestContext#failure()} says which. */
    default void onFailure(RequestContext ctx) {
    }

    /** The caller disconnected before the answer was complete; usage so far is in the context. */
    default void onCancel(RequestContext ctx) {
    }
}
