package dev.fundament.identity;

import dev.fundament.error.ErrorResponses;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The Vert.x route step that authenticates a request before anything else reads it: the
 * {@link Principal} is put on the routing context under {@link #PRINCIPAL}, or the request is answered
 * 401. A cached key resolves on the spot; otherwise the store is read on a worker thread and the
 * request continues on its own event loop.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {

    public static final String PRINCIPAL = "fundament.principal";

    private final Authenticator authenticator;

    public AuthenticationHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void handle(RoutingContext rc) {
        String authorization = rc.request().getHeader("Authorization");
        String apiKey = rc.request().getHeader("api-key");
        Principal principal;
        try {
            principal = authenticator.resolveCached(authorization, apiKey);
        } catch (RuntimeException e) {
            ErrorResponses.send(rc.response(), e);
            return;
        }
        if (principal != null) {
            rc.put(PRINCIPAL, principal);
            rc.next();
            return;
        }
        Context loop = rc.vertx().getOrCreateContext();
        authenticator.authenticate(authorization, apiKey)
                .emitOn(task -> loop.runOnContext(v -> task.run()))
                .subscribe().with(p -> {
                    rc.put(PRINCIPAL, p);
                    rc.next();
                }, f -> ErrorResponses.send(rc.response(), f));
    }

    public static Principal principal(RoutingContext rc) {
        return rc.get(PRINCIPAL);
    }
}
