package dev.fundament.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.AuthenticationHandler;
import dev.fundament.identity.Authenticator;
import dev.fundament.identity.KeyService;
import dev.fundament.identity.Principal;
import dev.fundament.identity.StoreException;
import dev.fundament.audit.AuditTrail;
import dev.fundament.usage.BudgetGuard;
import dev.fundament.usage.RateLimits;
import dev.fundament.usage.UsageReports;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;

/**
 * {@code /admin/v1/keys}: {@code POST} creates (the key is in the answer, once), {@code GET} lists
 * ({@code ?team=} filters), {@code GET /{id}} shows, {@code POST /{id}/rotate} replaces,
 * {@code DELETE /{id}} revokes. {@code /admin/v1/usage?group_by=team|user|key|model|tag|day&from=&to=
 * &team=&format=json|csv} reports the ledger; {@code /admin/v1/usage/roi} weighs time saved against
 * cost per use case. {@code /admin/v1/limits} lists admin-set rate limits beside fundament.yaml's;
 * {@code PUT} and {@code DELETE /admin/v1/limits/{key|user|team|model}/{id}} set and remove one.
 * {@code GET /admin/v1/budgets} shows each budget's spend this day and month.
 * {@code /admin/v1/collections} manages company data ({@link CollectionAdmin}).
 * Store work runs on a worker thread.
 */
@ApplicationScoped
public class AdminRoutes {

    private static final String KEYS = "/admin/v1/keys";
    private static final String USAGE = "/admin/v1/usage";
    private static final String ROI = "/admin/v1/usage/roi";
    private static final String LIMITS = "/admin/v1/limits";
    private static final String BUDGETS = "/admin/v1/budgets";
    private static final String AUDIT = "/admin/v1/audit";
    private static final String ROUTES = "/admin/v1/routes";
    private static final long MAX_BODY = 64 * 1024;

    private final KeyService keys;
    private final UsageReports reports;
    private final RateLimits limits;
    private final BudgetGuard budgets;
    private final AuditTrail audit;
    private final dev.fundament.config.Configuration configuration;
    private final dev.fundament.gateway.GatewayRuntime runtime;
    private final jakarta.enterprise.event.Event<dev.fundament.identity.AdminAction> adminActions;
    private final AuthenticationHandler authentication;
    private final dev.fundament.gateway.RouteGovernance governance;
    private final CollectionAdmin collectionAdmin;
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = KeyJson.JSON;

    @Inject
    public AdminRoutes(KeyService keys, UsageReports reports, RateLimits limits, BudgetGuard budgets, AuditTrail audit,
                       jakarta.enterprise.event.Event<dev.fundament.identity.AdminAction> adminActions,
                       dev.fundament.config.Configuration configuration, dev.fundament.gateway.GatewayRuntime runtime,
                       Authenticator authenticator, dev.fundament.gateway.RouteGovernance governance,
                       dev.fundament.retrieval.Collections collections) {
        this.governance = governance;
        this.collectionAdmin = new CollectionAdmin(collections, adminActions);
        this.configuration = configuration;
        this.runtime = runtime;
        this.budgets = budgets;
        this.audit = audit;
        this.adminActions = adminActions;
        this.keys = keys;
        this.reports = reports;
        this.limits = limits;
        this.authentication = new AuthenticationHandler(authenticator);
    }

    void register(@Observes Router router) {
        router.route("/admin/v1/*").order(-102).handler(rc -> {
            rc.response().putHeader("Cache-Control", "no-store");
            rc.next();
        });
        router.route("/admin/v1/*").order(-101).handler(authentication);
        router.route("/admin/v1/*").order(-100).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.route("/admin/v1/*").order(-99).handler(this::dispatch).failureHandler(rc -> {
            if (!rc.response().ended()) {
                ErrorResponses.send(rc.response(), rc.failure() != null ? rc.failure()
                        : new GatewayException(rc.statusCode() == 413 ? ErrorKind.REQUEST_TOO_LARGE : ErrorKind.INVALID_REQUEST,
                        "The request could not be read (HTTP " + rc.statusCode() + ")."));
            }
        });
    }

    private void dispatch(RoutingContext rc) {
        Principal actor = AuthenticationHandler.principal(rc);
        String path = rc.normalizedPath();
        HttpMethod method = rc.request().method();
        if (path.equals(KEYS)) {
            if (method == HttpMethod.POST) {
                JsonNode body = body(rc);
                blocking(rc, 201, () -> {
                    KeyService.Created created = keys.create(actor, KeyJson.request(body));
                    return KeyJson.key(created.key(), created.plaintext());
                });
            } else if (method == HttpMethod.GET) {
                String team = rc.request().getParam("team");
                blocking(rc, 200, () -> KeyJson.list(keys.list(actor, team)));
            } else {
                notAllowed(rc, "GET, POST");
            }
            return;
        }
        if (path.equals(USAGE) || path.equals(ROI)) {
            if (method != HttpMethod.GET) {
                notAllowed(rc, "GET");
                return;
            }
            usage(rc, actor, path.equals(ROI));
            return;
        }
        if (path.equals(CollectionAdmin.PATH) || path.startsWith(CollectionAdmin.PATH + "/")) {
            collectionAdmin.handle(rc, actor, path.substring(CollectionAdmin.PATH.length()), method);
            return;
        }
        if (path.startsWith(ROUTES + "/")) {
            routeChange(rc, actor, path.substring(ROUTES.length() + 1), method);
            return;
        }
        if (path.equals(ROUTES)) {
            if (method != HttpMethod.GET) {
                notAllowed(rc, "GET");
            } else if (!(actor.has(dev.fundament.identity.Role.ADMIN) || actor.has(dev.fundament.identity.Role.AUDITOR))) {
                ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED,
                        "Only admins and auditors see the routes' state."));
            } else {
                blocking(rc, 200, () -> RouteJson.routes(runtime.routes(), governance));
            }
            return;
        }
        if (path.equals(AUDIT) || path.startsWith(AUDIT + "/")) {
            audit(rc, actor, path.substring(AUDIT.length()), method);
            return;
        }
        if (path.equals(BUDGETS)) {
            if (method == HttpMethod.GET) {
                blocking(rc, 200, () -> UsageJson.budgets(reports.currency(), budgets.status(actor)));
            } else {
                notAllowed(rc, "GET");
            }
            return;
        }
        if (path.equals(LIMITS) || path.startsWith(LIMITS + "/")) {
            limits(rc, actor, path, method);
            return;
        }
        if (path.startsWith(KEYS + "/")) {
            String rest = path.substring(KEYS.length() + 1);
            if (rest.endsWith("/rotate") && method == HttpMethod.POST) {
                String id = rest.substring(0, rest.length() - "/rotate".length());
                blocking(rc, 200, () -> {
                    KeyService.Created created = keys.rotate(actor, id);
                    return KeyJson.key(created.key(), created.plaintext());
                });
            } else if (!rest.contains("/") && method == HttpMethod.GET) {
                blocking(rc, 200, () -> KeyJson.key(keys.get(actor, rest), null));
            } else if (!rest.contains("/") && method == HttpMethod.DELETE) {
                blocking(rc, 200, () -> KeyJson.key(keys.revoke(actor, rest), null));
            } else {
                notAllowed(rc, rest.endsWith("/rotate") ? "POST" : "GET, DELETE");
            }
            return;
        }
        ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.NOT_FOUND, "Unknown admin path '" + Bounds.quoted(path)
                + "'. The admin API serves " + KEYS + ", " + LIMITS + ", " + BUDGETS + ", " + USAGE + " and " + ROI + "."));
    }

    /**
     * {@code GET /audit/verify}, {@code GET /audit/records?from=&to=} (JSON Lines), {@code GET
     * /audit/subjects/{subject}} for admins and auditors; {@code DELETE /audit/subjects/{subject}/payloads}
     * (erasure) for admins. Nothing edits or deletes a record.
     */
    private void audit(RoutingContext rc, Principal actor, String rest, HttpMethod method) {
        boolean reader = actor.has(dev.fundament.identity.Role.ADMIN) || actor.has(dev.fundament.identity.Role.AUDITOR);
        if (!reader) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED,
                    "Only admins and auditors read the audit trail."));
            return;
        }
        if (rest.equals("/processing") && method == HttpMethod.GET) {
            json(rc, dev.fundament.audit.ProcessingReport.of(configuration.spec(), configuration.get().hash()));
        } else if (rest.equals("/verify") && method == HttpMethod.GET) {
            blocking(rc, 200, () -> AuditJson.report(audit.verify()));
        } else if (rest.equals("/records") && method == HttpMethod.GET) {
            java.time.Instant[] range = AuditJson.range(rc.request().getParam("from"), rc.request().getParam("to"));
            rc.vertx().<String>executeBlocking(() -> AuditJson.jsonl(audit.export(range[0], range[1])), false)
                    .onComplete(result -> {
                        if (result.failed()) {
                            ErrorResponses.send(rc.response(), result.cause());
                        } else {
                            rc.response().putHeader("Content-Type", "application/x-ndjson").end(result.result());
                        }
                    });
        } else if (rest.startsWith("/subjects/") && rest.endsWith("/payloads") && method == HttpMethod.DELETE) {
            String subject = Bounds.pathSegment(rest.substring("/subjects/".length(), rest.length() - "/payloads".length()),
                    Bounds.SUBJECT, "subject");
            if (!actor.has(dev.fundament.identity.Role.ADMIN)) {
                ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED,
                        "Only admins erase a data subject's payloads; auditors read."));
                return;
            }
            blocking(rc, 200, () -> {
                boolean erased = audit.erase(subject);
                adminActions.fire(new dev.fundament.identity.AdminAction(actor, "subject.erase", subject,
                        java.util.Map.of("had_key", String.valueOf(erased))));
                return KeyJson.JSON.createObjectNode().put("object", "data_subject_erasure").put("subject", subject)
                        .put("erased", erased);
            });
        } else if (rest.startsWith("/subjects/") && method == HttpMethod.GET && rest.length() > "/subjects/".length()) {
            String subject = Bounds.pathSegment(rest.substring("/subjects/".length()), Bounds.SUBJECT, "subject");
            blocking(rc, 200, () -> AuditJson.subject(subject, audit.subject(subject)));
        } else {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.NOT_FOUND, "The audit API serves GET " + AUDIT
                    + "/verify, GET " + AUDIT + "/processing, GET " + AUDIT + "/records?from=&to=, GET " + AUDIT + "/subjects/{subject} and DELETE "
                    + AUDIT + "/subjects/{subject}/payloads; nothing edits a record."));
        }
    }

    private void limits(RoutingContext rc, Principal actor, String path, HttpMethod method) {
        if (path.equals(LIMITS)) {
            if (method == HttpMethod.GET) {
                blocking(rc, 200, () -> LimitJson.list(limits.list(actor), limits.configured()));
            } else {
                notAllowed(rc, "GET");
            }
            return;
        }
        String[] parts = path.substring(LIMITS.length() + 1).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.NOT_FOUND, "Limits live at "
                    + LIMITS + "/{key|user|team|model}/{id}, such as " + LIMITS + "/team/sales."));
            return;
        }
        parts[1] = Bounds.pathSegment(parts[1], Bounds.ADMIN_PATH_ID, "id");
        if (method == HttpMethod.PUT) {
            JsonNode body = body(rc);
            blocking(rc, 200, () -> LimitJson.limit(limits.set(actor, parts[0], parts[1], LimitJson.request(body))));
        } else if (method == HttpMethod.DELETE) {
            blocking(rc, 200, () -> {
                limits.clear(actor, parts[0], parts[1]);
                return KeyJson.JSON.createObjectNode().put("object", "rate_limit.deleted").put("scope", parts[0])
                        .put("subject", parts[1]).put("deleted", true);
            });
        } else {
            notAllowed(rc, "PUT, DELETE");
        }
    }

    private void usage(RoutingContext rc, Principal actor, boolean roi) {
        var p = rc.request();
        UsageJson.Query q = UsageJson.query(p.getParam("group_by"), p.getParam("from"), p.getParam("to"),
                p.getParam("team"), p.getParam("format"), !roi);
        if (q.csv() && !roi) {
            rc.vertx().<String>executeBlocking(() -> UsageJson.usageCsv(
                    reports.usage(actor, q.groupBy(), q.from(), q.to(), q.team()), reports.currency()), false)
                    .onComplete(result -> {
                        if (result.failed()) {
                            ErrorResponses.send(rc.response(), result.cause());
                        } else {
                            rc.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                                    .putHeader("Content-Disposition", "attachment; filename=\"usage-" + q.from() + "-" + q.to() + ".csv\"")
                                    .end(result.result());
                        }
                    });
            return;
        }
        blocking(rc, 200, () -> roi
                ? UsageJson.roi(q, reports.currency(), reports.roi(actor, q.from(), q.to(), q.team()))
                : UsageJson.usage(q, reports.currency(), reports.usage(actor, q.groupBy(), q.from(), q.to(), q.team())));
    }

    static JsonNode body(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new GatewayException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON with "
                    + "'Content-Type: application/json'.");
        }
        try {
            Buffer b = rc.body().buffer();
            return b == null ? null : KeyJson.JSON.readTree(b.getBytes());
        } catch (Exception e) {
            throw new GatewayException(ErrorKind.INVALID_JSON, "The request body is not valid JSON.");
        }
    }

    /** A whole-number query parameter from {@code min} to {@code max}; {@code fallback} when absent. */
    static int number(String value, int fallback, int min, int max, String name) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + name + "' must be a whole number from " + min + " to "
                + max + ", was '" + value + "'.", name);
    }

    static void blocking(RoutingContext rc, int status, Callable<JsonNode> work) {
        rc.vertx().<JsonNode>executeBlocking(() -> {
            try {
                return work.call();
            } catch (StoreException e) {
                throw new GatewayException(ErrorKind.STORE_UNAVAILABLE, "The key store is unavailable; retry shortly.");
            }
        }, false).onComplete(result -> {
            if (result.failed()) {
                ErrorResponses.send(rc.response(), result.cause());
            } else {
                rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(result.result().toString()));
            }
        });
    }

    /**
     * {@code PUT /routes/{model}/weights} with {@code {"weights": {"<version>": 90, ...}}},
     * {@code POST /routes/{model}/promote} with {@code {"version": "..."}} (that version 100, the rest 0),
     * {@code POST /routes/{model}/rollback} (back to fundament.yaml's weights, or with {@code {"version": "..."}}
     * all traffic back to that version): admins only, audited,
     * stored and followed by every instance. {@code GET /routes/{model}/shadow}: the model's shadow
     * results, for admins and auditors.
     */
    private void routeChange(RoutingContext rc, Principal actor, String rest, HttpMethod method) {
        int slash = rest.lastIndexOf('/');
        String model = slash > 0 ? rest.substring(0, slash) : "";
        String action = slash > 0 ? rest.substring(slash + 1) : rest;
        if (action.equals("shadow") && method == HttpMethod.GET) {
            if (!(actor.has(dev.fundament.identity.Role.ADMIN) || actor.has(dev.fundament.identity.Role.AUDITOR))) {
                ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED,
                        "Only admins and auditors see shadow results."));
                return;
            }
            if (!runtime.routes().configured().containsKey(model)) {
                throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "No configured model '" + model + "'.", "model");
            }
            int limit = RouteJson.limit(rc.request().getParam("limit"));
            blocking(rc, 200, () -> RouteJson.shadows(model, governance.shadows(model, limit)));
            return;
        }
        if (!actor.has(dev.fundament.identity.Role.ADMIN)) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins change routes."));
            return;
        }
        boolean emptyBody = rc.body() == null || rc.body().buffer() == null || rc.body().buffer().length() == 0;
        JsonNode body = action.equals("rollback") && emptyBody ? null : body(rc);
        java.util.Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        if (action.equals("weights") && method == HttpMethod.PUT) {
            JsonNode w = body == null ? null : body.get("weights");
            if (w == null || !w.isObject()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Send {\"weights\": {\"<version>\": 90, ...}}.", "weights");
            }
            w.fields().forEachRemaining(e -> {
                if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt()) {
                    throw new GatewayException(ErrorKind.INVALID_REQUEST, "'weights." + Bounds.shortened(e.getKey())
                            + "' must be a whole number, such as 90.", "weights." + Bounds.shortened(e.getKey()));
                }
                weights.put(e.getKey(), e.getValue().asInt());
            });
        } else if (action.equals("promote") && method == HttpMethod.POST) {
            JsonNode v = body == null ? null : body.get("version");
            if (v == null || !v.isTextual()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Send {\"version\": \"<version label>\"}.", "version");
            }
            weights.put(v.asText(), 100);
        } else if (action.equals("rollback") && method == HttpMethod.POST && body != null) {
            JsonNode v = body.get("version");
            if (v == null || !v.isTextual()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Send no body (back to fundament.yaml's weights) or"
                        + " {\"version\": \"<version label>\"} (all traffic back to that version).", "version");
            }
            weights.put(v.asText(), 100);
        } else if (!(action.equals("rollback") && method == HttpMethod.POST)) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.NOT_FOUND, "Route changes live at PUT " + ROUTES
                    + "/{model}/weights, POST " + ROUTES + "/{model}/promote and POST " + ROUTES + "/{model}/rollback;"
                    + " shadow results at GET " + ROUTES + "/{model}/shadow."));
            return;
        }
        blocking(rc, 200, () -> {
            java.util.Map<String, Integer> before = action.equals("rollback") && weights.isEmpty() ? governance.rollback(model)
                    : governance.weigh(actor.subject(), model, weights);
            java.util.Map<String, Integer> after = runtime.routes().configured().get(model).weights();
            adminActions.fire(new dev.fundament.identity.AdminAction(actor, "route." + action, model,
                    java.util.Map.of("before", before.toString(), "after", after.toString())));
            return RouteJson.routes(runtime.routes(), governance);
        });
    }

    private static void json(RoutingContext rc, JsonNode body) {
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(body.toString()));
    }

    static void notAllowed(RoutingContext rc, String allow) {
        rc.response().putHeader("Allow", allow);
        ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.METHOD_NOT_ALLOWED, "Method "
                + rc.request().method() + " is not allowed on " + rc.normalizedPath() + "; use " + allow + "."));
    }
}
