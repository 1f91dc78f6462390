package dev.fundament.api;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits on reading a request, for every path ({@code /v1}, {@code /admin}, {@code /q}), so a
 * half-sent request cannot hold a connection and every refusal is OpenAI error JSON:
 * <ul>
 *   <li>headers: a connection must complete a request's headers within
 *       {@code fundament.http.header-timeout} of opening, or of the end of its last answer
 *       (keep-alive, HTTP/2): a deadline that trickled bytes do not move. Until a connection's
 *       first request it is Vert.x's writer-idle timeout, set here on the server options (the
 *       server writes nothing before its first answer, so it counts from the opening); from then
 *       on the connection's {@link HeaderDeadline}. While a request is being answered there is no
 *       header deadline (a reasoning model can think for minutes before a whole answer), only
 *       {@link HeaderDeadline#ANSWER_IDLE} of silence both ways;</li>
 *   <li>body: a request whose body has not fully arrived {@code fundament.http.body-timeout} after
 *       its headers is answered 408;</li>
 *   <li>a request line longer than {@code fundament.http.max-uri-length} is a 414, a header block
 *       larger than {@code fundament.http.max-header-size} a 431. Vert.x would answer those with
 *       empty bodies before any route runs, so its own limits are set higher
 *       (application.properties) and these are enforced here.</li>
 * </ul>
 * A refusal on HTTP/1.1 closes the connection (what is left of the request is not read). On HTTP/2,
 * whose connection may carry other callers' streams behind a proxy, it ends only its own stream:
 * the error answer, then a reset (NO_ERROR) if the request was still being sent.
 * <p>
 * Cleartext HTTP/2 (h2c) on the plain port is off unless {@code fundament.http.h2c} is true:
 * while Vert.x waits to see whether an HTTP/1.1 connection upgrades, it closes the connection only
 * on its all-idle timeout and ignores the writer-idle one, so with h2c on a connection's first
 * request has an idle timeout (the header timeout), not a deadline. HTTP/2 over TLS is unaffected.
 */
@ApplicationScoped
class HttpLimits implements HttpServerOptionsCustomizer {

    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private final int maxUri;
    private final int maxHeaders;
    private final boolean h2c;

    HttpLimits(@ConfigProperty(name = "fundament.http.header-timeout") Duration headerTimeout,
               @ConfigProperty(name = "fundament.http.body-timeout") Duration bodyTimeout,
               @ConfigProperty(name = "fundament.http.max-uri-length") int maxUri,
               @ConfigProperty(name = "fundament.http.max-header-size") int maxHeaders,
               @ConfigProperty(name = "fundament.http.h2c", defaultValue = "false") boolean h2c) {
        if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("fundament.http.header-timeout and fundament.http.body-timeout must be positive;"
                    + " got " + headerTimeout + " and " + bodyTimeout);
        }
        this.headerTimeoutMs = headerTimeout.toMillis();
        this.bodyTimeoutMs = bodyTimeout.toMillis();
        this.maxUri = maxUri;
        this.maxHeaders = maxHeaders;
        this.h2c = h2c;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        timeouts(options);
        if (!h2c) {
            options.setHttp2ClearTextEnabled(false);
        }
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        timeouts(options);
    }

    @Override
    public void customizeDomainSocketServer(HttpServerOptions options) {
        timeouts(options);
        if (!h2c) {
            options.setHttp2ClearTextEnabled(false);
        }
    }

    /**
     * Vert.x's idle handler, on every connection from its opening: writer-idle and all-idle
     * timeouts of the header timeout. The writer-idle one is the deadline before the first request,
     * the all-idle one closes a connection quiet both ways; {@link HeaderDeadline} takes over both
     * at the first request.
     */
    private void timeouts(HttpServerOptions options) {
        int ms = (int) Math.min(headerTimeoutMs, Integer.MAX_VALUE);
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout(ms).setReadIdleTimeout(0).setWriteIdleTimeout(ms);
    }

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::admit);
    }

    private void admit(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HeaderDeadline deadline = HeaderDeadline.of(request.connection(), headerTimeoutMs);
        if (deadline != null) {
            deadline.enter();
            rc.addEndHandler(deadline);
        }
        if (request.uri().length() > maxUri) {
            refuse(rc, new GatewayException(ErrorKind.URI_TOO_LONG, "The request URI has " + request.uri().length()
                    + " characters; at most " + maxUri + " are accepted. Send parameters in the body."));
            return;
        }
        long size = headerSize(request.headers());
        if (size > maxHeaders) {
            refuse(rc, new GatewayException(ErrorKind.HEADERS_TOO_LARGE, "The request headers take more than " + maxHeaders
                    + " bytes; at most " + maxHeaders + " are accepted."));
            return;
        }
        if (!request.isEnded()) {
            long timer = rc.vertx().setTimer(bodyTimeoutMs, id -> {
                if (!request.isEnded() && !rc.response().ended() && !rc.response().closed()) {
                    refuse(rc, new GatewayException(ErrorKind.REQUEST_TIMEOUT, "The request body did not arrive within "
                            + bodyTimeoutMs / 1000.0 + " s of its headers (fundament.http.body-timeout)."));
                }
            });
            rc.addEndHandler(v -> rc.vertx().cancelTimer(timer));
        }
        rc.next();
    }

    /**
     * The header block's size as sent ({@code name: value} and a line end per header), counted until
     * it passes the limit: one pass over a dozen entries, no allocation beyond the iterator.
     */
    private long headerSize(MultiMap headers) {
        long size = 0;
        for (Map.Entry<String, String> h : headers) {
            size += h.getKey().length() + h.getValue().length() + 4;
            if (size > maxHeaders) {
                break;
            }
        }
        return size;
    }

    /**
     * Answers in OpenAI's shape. HTTP/1.1: and closes the connection, as what is left of the request
     * is not read. HTTP/2: only this stream ends; if the caller is still sending, a reset tells it to
     * stop (RFC 9113 section 8.1) and the connection's other streams go on.
     */
    private static void refuse(RoutingContext rc, GatewayException e) {
        ErrorResponses.log(e);
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        response.setStatusCode(e.kind().status()).putHeader("Content-Type", "application/json")
                .putHeader(OpenAiRoutes.REQUEST_ID, RequestIds.accept(request.getHeader(OpenAiRoutes.REQUEST_ID)));
        if (request.version() == HttpVersion.HTTP_2) {
            response.end(Buffer.buffer(ErrorResponses.body(e))).onComplete(done -> {
                if (!request.isEnded()) {
                    response.reset(0); // NO_ERROR
                }
            });
        } else {
            response.putHeader("Connection", "close").end(Buffer.buffer(ErrorResponses.body(e)))
                    .onComplete(done -> request.connection().close());
        }
    }
}
