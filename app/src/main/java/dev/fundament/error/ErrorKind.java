package dev.fundament.error;

import org.jboss.logging.Logger.Level;

/**
 * Every error Fundament answers with, as one table. The constructor arguments are the mapping:
 * HTTP status, OpenAI error {@code type}, {@code code}, whether a fallback target may be tried after it,
 * and the level it is logged at.
 *
 * <p>Upstream 401/403 are our credential problem, never the caller's: they become
 * {@link #UPSTREAM_AUTH_FAILED} (502). Caller mistakes never fall back: another target would reject
 * them too.
 */
public enum ErrorKind {
    INVALID_JSON(400, "invalid_request_error", "invalid_json", false, Level.DEBUG),
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request", false, Level.DEBUG),
    MISSING_PARAMETER(400, "invalid_request_error", "missing_required_parameter", false, Level.DEBUG),
    INVALID_TYPE(400, "invalid_request_error", "invalid_type", false, Level.DEBUG),
    UNSUPPORTED_PARAMETER(400, "invalid_request_error", "unsupported_parameter", false, Level.DEBUG),
    WRONG_MODEL_KIND(400, "invalid_request_error", "model_not_supported", false, Level.DEBUG),
    NOT_FOUND(404, "invalid_request_error", "not_found", false, Level.DEBUG),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found", false, Level.DEBUG),
    COLLECTION_NOT_FOUND(404, "invalid_request_error", "collection_not_found", false, Level.DEBUG),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", false, Level.DEBUG),
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout", false, Level.INFO),
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large", false, Level.DEBUG),
    URI_TOO_LONG(414, "invalid_request_error", "uri_too_long", false, Level.DEBUG),
    HEADERS_TOO_LARGE(431, "invalid_request_error", "headers_too_large", false, Level.DEBUG),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type", false, Level.DEBUG),

    UNAUTHENTICATED(401, "invalid_request_error", "invalid_api_key", false, Level.DEBUG),
    PERMISSION_DENIED(403, "permission_error", "permission_denied", false, Level.DEBUG),
    MODEL_NOT_ALLOWED(403, "permission_error", "model_not_allowed", false, Level.DEBUG),
    BUDGET_EXHAUSTED(429, "insufficient_quota", "insufficient_quota", false, Level.INFO),
    LIMIT_EXCEEDED(429, "rate_limit_error", "rate_limit_exceeded", false, Level.DEBUG),
    CONFLICT(409, "invalid_request_error", "conflict", false, Level.DEBUG),
    CONTENT_BLOCKED(400, "invalid_request_error", "content_blocked", false, Level.INFO),
    DATA_RESIDENCY(403, "permission_error", "data_residency", false, Level.INFO),
    GUARDRAIL_UNAVAILABLE(503, "api_error", "guardrail_unavailable", false, Level.ERROR),

    UPSTREAM_BAD_REQUEST(400, "invalid_request_error", "upstream_bad_request", false, Level.DEBUG),
    UPSTREAM_MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found", true, Level.INFO),
    UPSTREAM_RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded", true, Level.INFO),
    UPSTREAM_AUTH_FAILED(502, "api_error", "upstream_auth_failed", true, Level.ERROR),
    UPSTREAM_ERROR(502, "api_error", "upstream_error", true, Level.WARN),
    UPSTREAM_UNAVAILABLE(502, "api_error", "upstream_unavailable", true, Level.WARN),
    /** Nothing was sent: every target rests (circuit breaker open, health check failing); comes with Retry-After. */
    UPSTREAM_RESTING(503, "api_error", "upstream_unavailable", true, Level.INFO),
    UPSTREAM_INVALID_RESPONSE(502, "api_error", "upstream_invalid_response", true, Level.WARN),
    UPSTREAM_TIMEOUT(504, "api_error", "upstream_timeout", true, Level.WARN),
    STREAM_INTERRUPTED(502, "api_error", "stream_interrupted", false, Level.WARN),

    NOT_READY(503, "api_error", "not_ready", false, Level.INFO),
    OVERLOADED(503, "api_error", "overloaded", true, Level.INFO),
    STORE_UNAVAILABLE(503, "api_error", "store_unavailable", false, Level.ERROR),
    INTERNAL(500, "api_error", "internal_error", false, Level.ERROR);

    private final int status;
    private final String type;
    private final String code;
    private final boolean fallback;
    private final Level logLevel;

    ErrorKind(int status, String type, String code, boolean fallback, Level logLevel) {
        this.status = status;
        this.type = type;
        this.code = code;
        this.fallback = fallback;
        this.logLevel = logLevel;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    /** @return whether the next target of a route may be tried after this error */
    public boolean fallback() {
        return fallback;
    }

    public Level logLevel() {
        return logLevel;
    }
}
