package dev.fundament.error;

import java.util.Map;

/**
 * The one exception type that crosses capability borders. Its message is shown to the caller, so it
 * says what was wrong and how to fix it, and never contains a secret or prompt text.
 *
 * <p>Stack traces are not filled in: these are expected outcomes on the hot path, not bugs.
 */
public final class GatewayException extends RuntimeException {

    private final ErrorKind kind;
    private final String param;
    private final Map<String, String> headers;

    public GatewayException(ErrorKind kind, String message) {
        this(kind, message, null, Map.of());
    }

    public GatewayException(ErrorKind kind, String message, String param) {
        this(kind, message, param, Map.of());
    }

    /**
     * @param param   the request parameter at fault, as a path such as {@code messages[2].role}, or null
     * @param headers response headers to send with the error, such as {@code Retry-After}
     */
    public GatewayException(ErrorKind kind, String message, String param, Map<String, String> headers) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
        this.headers = Map.copyOf(headers);
    }

    public ErrorKind kind() {
        return kind;
    }

    public String param() {
        return param;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
