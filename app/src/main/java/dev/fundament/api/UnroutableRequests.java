package dev.fundament.api;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Requests Vert.x Web refuses while matching routes, before any handler of ours runs: a path with a
 * malformed percent-escape ({@code /v1/collections/c/documents/%zz}, a trailing {@code %}) cannot be
 * normalised, and the router answered a bare 400 with an empty body. It is answered in OpenAI's error
 * shape, with its {@code x-request-id}, like every other refusal.
 *
 * <p>Quarkus checks each request URI before the router sees it and answers one it cannot parse with a
 * bare 400; {@link #ROUTER_DECIDES} (set by {@code FundamentMain} before Quarkus starts) leaves that to
 * the router, where an unparsable path fails route matching and lands here.
 */
@ApplicationScoped
public class UnroutableRequests {

    /** The JVM property that makes Quarkus hand unparsable URIs to the router instead of answering them bare. */
    public static final String ROUTER_DECIDES = "vertx.disableURIValidation";

    void register(@Observes Router router) {
        router.errorHandler(400, UnroutableRequests::refuse);
    }

    private static void refuse(RoutingContext rc) {
        if (rc.response().headWritten() || rc.response().closed()) {
            return;
        }
        Throwable failure = rc.failure();
        String message = failure instanceof IllegalArgumentException
                ? "The request path is malformed (" + failure.getMessage() + "); write a literal '%' as %25."
                : "The request could not be read" + (failure == null || failure.getMessage() == null ? "."
                        : ": " + failure.getMessage() + ".");
        rc.response().putHeader(OpenAiRoutes.REQUEST_ID, RequestIds.accept(rc.request().getHeader(OpenAiRoutes.REQUEST_ID)));
        ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.INVALID_REQUEST, message));
    }
}
