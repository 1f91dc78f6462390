package dev.fundament.api;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
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
 *   <li>headers: the connection's idle timeout ({@code fundament.http.header-timeout}, Quarkus's
 *       {@code quarkus.http.idle-timeout}) closes a connection that stops sending, also half-way
 *       through its headers; once a request's headers are in, the connection may stay quiet for as
 *       long as answering takes ({@link #ANSWER_IDLE}: a reasoning model can think for minutes
 *       before a whole answer), and the short timeout is back when the answer ends;</li>
 *   <li>body: a request whose body has not fully arrived {@code fundament.http.body-timeout} after
 *       its headers is answered 408 and its connection closed;</li>
 *   <li>a request line longer than {@code fundament.http.max-uri-length} is a 414, a header block
 *       larger than {@code fundament.http.max-header-size} a 431. Vert.x would answer those with
 *       empty bodies before any route runs, so its own limits are set higher
 *       (application.properties) and these are enforced here.</li>
 * </ul>
 * The idle timeout is swapped on the connection's Netty pipeline (handler {@code idle}), the one
 * place Vert.x keeps it; for HTTP/2, whose streams share a connection, the timeout is lifted at the
 * first request and not restored.
 */
@ApplicationScoped
class HttpLimits {

    /** How long a connection may stay quiet while its request is being answered (Quarkus's own default). */
    static final Duration ANSWER_IDLE = Duration.ofMinutes(30);
    private static final String IDLE = "idle";

    private final long headerTimeoutMs;
    private final long bodyTimeoutMs;
    private final int maxUri;
    private final int maxHeaders;

    HttpLimits(@ConfigProperty(name = "fundament.http.header-timeout") Duration headerTimeout,
               @ConfigProperty(name = "fundament.http.body-timeout") Duration bodyTimeout,
               @ConfigProperty(name = "fundament.http.max-uri-length") int maxUri,
               @ConfigProperty(name = "fundament.http.max-header-size") int maxHeaders) {
        this.headerTimeoutMs = headerTimeout.toMillis();
        this.bodyTimeoutMs = bodyTimeout.toMillis();
        this.maxUri = maxUri;
        this.maxHeaders = maxHeaders;
    }

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::admit);
    }

    private void admit(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.uri().length() > maxUri) {
            refuse(rc, new GatewayException(ErrorKind.URI_TOO_LONG, "The request URI has " + request.uri().length()
                    + " characters; at most " + maxUri + " are accepted. Send parameters in the body."));
            return;
        }
        long size = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            size += h.getKey().length() + h.getValue().length() + 4;
        }
        if (size > maxHeaders) {
            refuse(rc, new GatewayException(ErrorKind.HEADERS_TOO_LARGE, "The request headers take " + size
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
        quietWhileAnswering(rc);
        rc.next();
    }

    /** Answers in OpenAI's shape and closes the connection: what is left of the request is not read. */
    private static void refuse(RoutingContext rc, GatewayException e) {
        ErrorResponses.log(e);
        String id = RequestIds.accept(rc.request().getHeader(OpenAiRoutes.REQUEST_ID));
        rc.response().setStatusCode(e.kind().status()).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").putHeader(OpenAiRoutes.REQUEST_ID, id)
                .end(Buffer.buffer(ErrorResponses.body(e)))
                .onComplete(done -> rc.request().connection().close());
    }

    private void quietWhileAnswering(RoutingContext rc) {
        if (!(rc.request().connection() instanceof io.vertx.core.net.impl.ConnectionBase connection)) {
            return;
        }
        ChannelPipeline pipeline = connection.channel().pipeline();
        if (pipeline.get(IDLE) == null) {
            return;
        }
        pipeline.replace(IDLE, IDLE, new IdleStateHandler(0, 0, ANSWER_IDLE.toMillis(), TimeUnit.MILLISECONDS));
        if (rc.request().version() != HttpVersion.HTTP_2) {
            rc.addEndHandler(v -> {
                if (connection.channel().isActive() && pipeline.get(IDLE) != null) {
                    pipeline.replace(IDLE, IDLE, new IdleStateHandler(0, 0, headerTimeoutMs, TimeUnit.MILLISECONDS));
                }
            });
        }
    }
}
