package dev.fundament.observability;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.AuthenticationHandler;
import dev.fundament.identity.Authenticator;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /q/metrics} behind a key: the scrape names every model, provider, team and collection and
 * their traffic, which is not for anyone who can reach the port. A key with the {@code metrics} role
 * (made by an admin through the admin API) or an admin key reads it; no key is a 401, another key a
 * 403, both as OpenAI error JSON. With {@code fundament.metrics.auth=none} the scrape is open, for a
 * deployment whose network already keeps it private.
 *
 * <p>The check is a route step in front of Quarkus's own metrics route on the same router, so the
 * Prometheus export itself is unchanged.
 */
@ApplicationScoped
class MetricsAccess {

    void register(@Observes Router router, Authenticator authenticator,
                  @ConfigProperty(name = "fundament.metrics.auth", defaultValue = "key") String auth,
                  @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "/q/metrics") String path) {
        switch (auth) {
            case "none" -> {
                return;
            }
            case "key" -> { }
            default -> throw new IllegalStateException("fundament.metrics.auth is 'key' (a key with the metrics or admin"
                    + " role reads /q/metrics) or 'none' (open), was '" + auth + "'.");
        }
        router.route(path).order(-300).handler(new AuthenticationHandler(authenticator));
        router.route(path).order(-299).handler(rc -> {
            Principal principal = AuthenticationHandler.principal(rc);
            if (principal.has(Role.METRICS) || principal.has(Role.ADMIN)) {
                rc.next();
            } else {
                ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED, "Reading " + path
                        + " needs a key with the metrics role (or an admin key); ask an admin for one."));
            }
        });
    }
}
