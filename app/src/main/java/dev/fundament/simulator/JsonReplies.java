package dev.fundament.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Every answer that is one JSON document goes out through here, and every error body is written
 * here, in OpenAI's shape {@code {"error":{"message","type","param","code"}}} and OpenAI's words.
 * The injected faults are pre-built once: at a high fault rate they are the hot path.
 */
final class JsonReplies {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
    private static final CharSequence ONE_SECOND = HttpHeaders.createOptimized("1");

    private static final Buffer SERVER_ERROR = error("The server had an error while processing your request. Sorry about"
            + " that! (Simulated by the Fundament simulator: --error-rate.)", "server_error", null, null);
    private static final Buffer RATE_LIMITED = error("Rate limit reached for requests. Please try again in 1s. (Simulated"
            + " by the Fundament simulator: --rate-limit-rate.)", "requests", null, "rate_limit_exceeded");
    private static final Buffer MALFORMED_JSON = error("We could not parse the JSON body of your request. The simulator"
            + " expects a JSON object, as the OpenAI API does, but what was sent was not a valid JSON object.",
            "invalid_request_error", null, null);

    private JsonReplies() {
    }

    static void ok(HttpServerResponse response, Buffer body) {
        send(response, 200, body);
    }

    static void serverError(HttpServerResponse response) {
        send(response, 500, SERVER_ERROR);
    }

    static void rateLimited(HttpServerResponse response) {
        response.putHeader(RETRY_AFTER, ONE_SECOND);
        send(response, 429, RATE_LIMITED);
    }

    static void malformedJson(HttpServerResponse response) {
        send(response, 400, MALFORMED_JSON);
    }

    static void badRequest(HttpServerResponse response, BadRequest e) {
        send(response, 400, error(e.getMessage(), "invalid_request_error", e.param(), e.code()));
    }

    static void invalidUrl(HttpServerResponse response, String method, String path) {
        send(response, 404, error("Invalid URL (" + method + " " + path + "). The simulator serves POST /v1/chat/completions,"
                + " POST /v1/embeddings, GET /v1/models and GET /v1/models/{model}.", "invalid_request_error", null, null));
    }

    private static void send(HttpServerResponse response, int status, Buffer body) {
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body);
        }
    }

    private static Buffer error(String message, String type, String param, String code) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Buffer.buffer(root.toString());
    }
}
