package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.config.LimitsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.ApiKey;
import dev.fundament.identity.ApiKeyStore;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The limits that apply to each key, user, team and model: {@code fundament.yaml}'s, replaced for single
 * subjects by limits set through the admin API. Admin-set limits are read from the database into memory,
 * so the request path does a map lookup; this instance sees its own changes at once and other
 * instances' within {@value #RELOAD_SECONDS} seconds.
 *
 * <p>Admins set any limit; team admins set the limits of their own team's keys only (their team's own
 * limit stays the ceiling); auditors read.
 */
@ApplicationScoped
public class RateLimits {

    static final int RELOAD_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(RateLimits.class);

    private final LimitsSpec configured;
    private final LimitStore store;
    private final ApiKeyStore keys;
    private final java.util.Set<String> teams;
    private final java.util.Set<String> models;
    private final Clock clock;
    private java.util.function.Consumer<dev.fundament.identity.AdminAction> audit = a -> { };
    private volatile Map<String, LimitOverride> overrides = Map.of();
    private long timer = -1;

    @Inject
    public RateLimits(Configuration configuration, Storage storage, ApiKeyStore keys) {
        this(configuration.spec().limits(), new JdbcLimitStore(storage.dataSource()), keys,
                configuration.spec().identity().teams().keySet(), configuration.spec().models().keySet(), Clock.systemUTC());
    }

    RateLimits(LimitsSpec configured, LimitStore store, ApiKeyStore keys, java.util.Set<String> teams,
               java.util.Set<String> models, Clock clock) {
        this.configured = configured;
        this.store = store;
        this.keys = keys;
        this.teams = teams;
        this.models = models;
        this.clock = clock;
        reload();
    }

    @Inject
    void audit(jakarta.enterprise.event.Event<dev.fundament.identity.AdminAction> events) {
        this.audit = events::fire;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        timer = vertx.setPeriodic(RELOAD_SECONDS * 1000L, id -> vertx.executeBlocking(() -> {
            reload();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the admin-set limits again; keeps the last good set when the database is unreachable. */
    final void reload() {
        try {
            Map<String, LimitOverride> next = new HashMap<>();
            for (LimitOverride o : store.all()) {
                next.put(o.scope() + ':' + o.subject(), o);
            }
            overrides = Map.copyOf(next);
        } catch (RuntimeException e) {
            LOG.warnf("Admin-set rate limits cannot be reloaded (%s); the last ones read stay in force.", e.getMessage());
        }
    }

    /** @return the limit of one subject: admin-set when there is one, else from fundament.yaml */
    LimitsSpec.RateSpec of(String scope, String subject) {
        LimitOverride o = overrides.get(scope + ':' + subject);
        if (o != null) {
            return o.rate();
        }
        return switch (scope) {
            case "key" -> configured.perKey();
            case "user" -> configured.perUser();
            case "team" -> configured.teams().getOrDefault(subject, configured.perTeam());
            case "model" -> configured.models().getOrDefault(subject, configured.perModel());
            default -> throw new IllegalArgumentException(scope);
        };
    }

    /** @return fundament.yaml's limits */
    public LimitsSpec configured() {
        return configured;
    }

    /** @return the admin-set limits this principal may see */
    public List<LimitOverride> list(Principal actor) {
        if (!(actor.has(Role.ADMIN) || actor.has(Role.AUDITOR) || actor.has(Role.TEAM_ADMIN))) {
            throw denied("Only admins, auditors and team admins read limits.");
        }
        return store.all().stream()
                .filter(o -> actor.has(Role.ADMIN) || actor.has(Role.AUDITOR) || o.team() != null && o.team().equals(actor.team()))
                .toList();
    }

    /** Sets the limits of one subject, replacing fundament.yaml's for it. */
    public LimitOverride set(Principal actor, String scope, String subject, LimitsSpec.RateSpec rate) {
        String team = authorise(actor, scope, subject);
        LimitOverride o = new LimitOverride(scope, subject, team, rate, clock.instant(), actor.subject());
        store.put(o);
        audit.accept(new dev.fundament.identity.AdminAction(actor, "limit.set", scope + ":" + subject, Map.of(
                "requests_per_minute", String.valueOf(rate.requestsPerMinute()), "tokens_per_minute",
                String.valueOf(rate.tokensPerMinute()))));
        reload();
        LOG.infof("Rate limit of %s %s set to %s requests and %s tokens per minute by %s", scope, subject,
                show(rate.requestsPerMinute()), show(rate.tokensPerMinute()), actor.subject());
        return o;
    }

    /** Removes an admin-set limit; fundament.yaml's applies again. */
    public void clear(Principal actor, String scope, String subject) {
        authorise(actor, scope, subject);
        if (!store.remove(scope, subject)) {
            throw new GatewayException(ErrorKind.NOT_FOUND, "No limit was set for " + scope + " '" + subject
                    + "' through the admin API.");
        }
        audit.accept(new dev.fundament.identity.AdminAction(actor, "limit.clear", scope + ":" + subject, Map.of()));
        reload();
        LOG.infof("Rate limit of %s %s removed by %s", scope, subject, actor.subject());
    }

    /** @return the team the subject belongs to, after checking it exists and the actor may change it */
    private String authorise(Principal actor, String scope, String subject) {
        switch (scope) {
            case "key" -> {
                Optional<ApiKey> key = keys.findById(subject);
                if (key.isEmpty() || !actor.canManageTeam(key.get().team())) {
                    if (actor.has(Role.ADMIN) || actor.has(Role.TEAM_ADMIN)) {
                        throw new GatewayException(ErrorKind.NOT_FOUND, "No key with id '" + subject + "'.", "id");
                    }
                    throw denied("Only admins and team admins set limits.");
                }
                return key.get().team();
            }
            case "team", "user", "model" -> {
                if (!actor.has(Role.ADMIN)) {
                    throw denied("Only admins set " + scope + " limits; team admins set their own keys' limits.");
                }
                if (scope.equals("team") && !teams.contains(subject)) {
                    throw new GatewayException(ErrorKind.NOT_FOUND, "Unknown team '" + subject + "'; teams are " + teams + ".", "team");
                }
                if (scope.equals("model") && !models.contains(subject)) {
                    throw new GatewayException(ErrorKind.NOT_FOUND, "Unknown model '" + subject + "'; models are " + models + ".", "model");
                }
                return scope.equals("team") ? subject : null;
            }
            default -> throw new GatewayException(ErrorKind.NOT_FOUND, "Unknown limit scope '" + scope
                    + "'; use key, user, team or model, as in /admin/v1/limits/team/sales.", "scope");
        }
    }

    private static String show(Integer value) {
        return value == null ? "unlimited" : value.toString();
    }

    private static GatewayException denied(String message) {
        return new GatewayException(ErrorKind.PERMISSION_DENIED, message);
    }
}
