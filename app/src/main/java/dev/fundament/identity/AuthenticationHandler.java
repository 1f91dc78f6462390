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
 *
 * <p>For {@code /v1} ({@link #forApi}) it is also the one place that decides who may call the API at
 * all: a principal holding only the {@code metrics} role is answered 403, before its body is read,
 * whatever the endpoint (chat, embeddings, models, collections).
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {

    public static final String PRINCIPAL = "fundament.principal";

    private final Authenticator authenticator;
    private final boolean api;

    public AuthenticationHandler(Authenticator authenticator) {
        this(authenticator, false);
    }

    private AuthenticationHandler(Authenticator authenticator, boolean api) {
        this.authenticator = authenticator;
        this.api = api;
    }

    /** @return the step for {@code /v1}: authenticates, and refuses principals that may not call the API */
    public static AuthenticationHandler forApi(Authenticator authenticator) {
        return new AuthenticationHandler(authenticator, true);
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
            proceed(rc, principal);
            return;
        }
        Context loop = rc.vertx().getOrCreateContext();
        authenticator.authenticate(authorization, apiKey)
                .emitOn(task -> loop.runOnContext(v -> task.run()))
                .subscribe().with(p -> proceed(rc, p), f -> ErrorResponses.send(rc.response(), f));
    }

    private void proceed(RoutingContext rc, Principal principal) {
        if (api && !principal.mayCallApi()) {
            ErrorResponses.send(rc.response(), Principal.metricsOnly());
            return;
        }
        rc.put(PRINCIPAL, principal);
        rc.next();
    }

    public static Principal principal(RoutingContext rc) {
        return rc.get(PRINCIPAL);
    }
}
