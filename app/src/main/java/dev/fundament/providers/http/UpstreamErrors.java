package dev.fundament.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Maps what an upstream answered, or how reaching it failed, to a {@link GatewayException}.
 *
 * <p>By status: 400/422 keep the upstream's message (the caller can fix it); 401/403 are our
 * credentials, so 502 {@code upstream_auth_failed}; 404 is an unknown upstream model; 429 passes
 * through with {@code Retry-After}; 408 and timeouts are 504; everything else is 502.
 */
public final class UpstreamErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamErrors() {
    }

    public static GatewayException fromResponse(String provider, int status, String retryAfter, String body) {
        String upstream = message(body);
        return switch (status) {
            case 400, 422 -> new GatewayException(ErrorKind.UPSTREAM_BAD_REQUEST, upstream.isEmpty()
                    ? "Provider '" + provider + "' rejected the request (HTTP " + status + ")." : upstream);
            case 401, 403 -> new GatewayException(ErrorKind.UPSTREAM_AUTH_FAILED, "Provider '" + provider
                    + "' rejected Fundament's credentials (HTTP " + status + "). This is a gateway configuration problem:"
                    + " check providers." + provider + ".api_key.");
            case 404 -> new GatewayException(ErrorKind.UPSTREAM_MODEL_NOT_FOUND, "Provider '" + provider
                    + "' does not know the model or path (HTTP 404)" + suffix(upstream));
            case 408 -> new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "Provider '" + provider + "' timed out (HTTP 408).");
            case 413 -> new GatewayException(ErrorKind.UPSTREAM_BAD_REQUEST, "Provider '" + provider
                    + "' rejected the request as too large (HTTP 413)" + suffix(upstream));
            case 429 -> new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "Provider '" + provider
                    + "' is rate limiting requests (HTTP 429)" + suffix(upstream) + " Retry later.", null,
                    retryAfter != null ? Map.of("Retry-After", retryAfter) : Map.of());
            default -> new GatewayException(ErrorKind.UPSTREAM_ERROR, "Provider '" + provider + "' failed (HTTP "
                    + status + ")" + suffix(upstream));
        };
    }

    /** @param failure how sending the request or reading the answer failed */
    public static GatewayException fromFailure(String provider, Throwable failure) {
        if (failure instanceof GatewayException g) {
            return g;
        }
        if (failure instanceof TimeoutException || failure instanceof ConnectTimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            return new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "Provider '" + provider
                    + "' did not answer in time; see providers." + provider + ".timeouts.");
        }
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return new GatewayException(ErrorKind.UPSTREAM_UNAVAILABLE, "Cannot connect to provider '" + provider
                    + "' (" + failure.getClass().getSimpleName() + "); check providers." + provider + ".base_url.");
        }
        if (failure instanceof HttpClosedException) {
            return new GatewayException(ErrorKind.UPSTREAM_UNAVAILABLE, "Provider '" + provider
                    + "' closed the connection before answering.");
        }
        return new GatewayException(ErrorKind.UPSTREAM_UNAVAILABLE, "Request to provider '" + provider
                + "' failed: " + failure.getClass().getSimpleName());
    }

    /** @return the upstream's error message from an OpenAI or Anthropic error body, or "" */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root.path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            String message = error.path("message").asText("");
            return message.isEmpty() ? root.path("message").asText("") : message;
        } catch (Exception e) {
            String text = body.strip();
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
    }

    private static String suffix(String upstream) {
        return upstream.isEmpty() ? "." : ": " + upstream;
    }
}
