package dev.fundament.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one exception mapper, used by the OpenAI API and the admin API alike: turns any failure into
 * OpenAI's error JSON
 * {@code {"error":{"message","type","param","code"}}} with the status of its {@link ErrorKind}.
 * Unexpected exceptions become a 500 whose message says nothing internal; their stack trace goes to
 * the log, never to the client.
 */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorResponses() {
    }

    public static GatewayException normalize(Throwable failure) {
        if (failure instanceof GatewayException g) {
            return g;
        }
        LOG.error("Unexpected failure while serving a request", failure);
        return new GatewayException(ErrorKind.INTERNAL, "The server failed while handling the request. "
                + "The cause is in Fundament's log under this request's x-request-id.");
    }

    public static void send(HttpServerResponse response, Throwable failure) {
        GatewayException e = normalize(failure);
        log(e);
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(e.kind().status());
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        response.putHeader("Content-Type", "application/json");
        response.end(Buffer.buffer(body(e)));
    }

    public static void log(GatewayException e) {
        LOG.logf(e.kind().logLevel(), "%d %s: %s", e.kind().status(), e.kind().code(), e.getMessage());
    }

    public static byte[] body(GatewayException e) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", e.getMessage());
            g.writeStringField("type", e.kind().type());
            if (e.param() != null) {
                g.writeStringField("param", e.param());
            } else {
                g.writeNullField("param");
            }
            g.writeStringField("code", e.kind().code());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
