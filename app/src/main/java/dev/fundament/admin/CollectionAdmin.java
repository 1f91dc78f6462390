package dev.fundament.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.config.ConfigException;
import dev.fundament.config.SourceSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.AdminAction;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.retrieval.Collection;
import dev.fundament.retrieval.Collections;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.retrieval.ingest.Progress;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /admin/v1/collections}: {@code GET} lists collections with their status, {@code POST}
 * creates one from settings in fundament.yaml's shape ({@code {"name": "crm", "settings": {...}}}),
 * {@code GET /{name}} shows its status (documents, chunks, each source's state, progress and error),
 * {@code DELETE /{name}} removes one created through the API with all its documents,
 * {@code POST /{name}/sync} runs its sources now, {@code GET /{name}/documents?status=failed&limit=&offset=}
 * lists its documents (the failed ones with their reasons). Changes are audited.
 */
final class CollectionAdmin {

    static final String PATH = "/admin/v1/collections";

    private final Collections collections;
    private final jakarta.enterprise.event.Event<AdminAction> adminActions;

    CollectionAdmin(Collections collections, jakarta.enterprise.event.Event<AdminAction> adminActions) {
        this.collections = collections;
        this.adminActions = adminActions;
    }

    void handle(RoutingContext rc, Principal actor, String rest, HttpMethod method) {
        String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", 2);
        if (parts.length == 0) {
            if (method == HttpMethod.GET) {
                AdminRoutes.blocking(rc, 200, () -> list(actor));
            } else if (method == HttpMethod.POST) {
                JsonNode body = AdminRoutes.body(rc);
                AdminRoutes.blocking(rc, 201, () -> create(actor, body));
            } else {
                AdminRoutes.notAllowed(rc, "GET, POST");
            }
            return;
        }
        String name = parts[0];
        String action = parts.length > 1 ? parts[1] : "";
        switch (action) {
            case "" -> {
                if (method == HttpMethod.GET) {
                    AdminRoutes.blocking(rc, 200, () -> status(visible(actor, name)));
                } else if (method == HttpMethod.DELETE) {
                    AdminRoutes.blocking(rc, 200, () -> {
                        collections.drop(actor, name);
                        adminActions.fire(new AdminAction(actor, "collection.delete", name, Map.of()));
                        return AdminRoutes.JSON.createObjectNode().put("name", name).put("deleted", true);
                    });
                } else {
                    AdminRoutes.notAllowed(rc, "GET, DELETE");
                }
            }
            case "sync" -> {
                if (method != HttpMethod.POST) {
                    AdminRoutes.notAllowed(rc, "POST");
                    return;
                }
                AdminRoutes.blocking(rc, 202, () -> {
                    collections.sync(actor, name);
                    adminActions.fire(new AdminAction(actor, "collection.sync", name, Map.of()));
                    return status(collections.require(name));
                });
            }
            case "documents" -> {
                if (method != HttpMethod.GET) {
                    AdminRoutes.notAllowed(rc, "GET");
                    return;
                }
                String status = rc.request().getParam("status");
                if (status != null && !status.equals("indexed") && !status.equals("failed")) {
                    throw new GatewayException(ErrorKind.INVALID_REQUEST, "'status' is indexed or failed, was '" + status + "'.",
                            "status");
                }
                int limit = AdminRoutes.number(rc.request().getParam("limit"), 100, 0, 1000, "limit");
                int offset = AdminRoutes.number(rc.request().getParam("offset"), 0, 0, Integer.MAX_VALUE, "offset");
                AdminRoutes.blocking(rc, 200, () -> {
                    Collection c = visible(actor, name);
                    ArrayNode data = AdminRoutes.JSON.createArrayNode();
                    java.util.Set<String> readers = dev.fundament.retrieval.Readers.of(actor);
                    for (StoredDocument d : collections.documents(c.name(), status, limit, offset)) {
                        // a team admin manages the collection but sees only the documents they may read
                        if (seesAll(actor) || d.readers().stream().anyMatch(readers::contains)) {
                            data.add(document(d));
                        }
                    }
                    ObjectNode out = AdminRoutes.JSON.createObjectNode().put("object", "list").put("collection", c.name());
                    out.set("data", data);
                    return out;
                });
            }
            default -> throw new GatewayException(ErrorKind.NOT_FOUND, "Collection actions are GET/DELETE " + PATH
                    + "/{name}, POST " + PATH + "/{name}/sync and GET " + PATH + "/{name}/documents.");
        }
    }

    /** Admins and auditors see every collection; team admins their team's. */
    private Collection visible(Principal actor, String name) {
        Collection c = collections.require(name);
        if (!seesAll(actor) && !c.manageableBy(actor)) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins, auditors and team admins of team '"
                    + c.spec().owner() + "' see collection '" + name + "'s status.", "collection");
        }
        return c;
    }

    private static boolean seesAll(Principal actor) {
        return actor.has(Role.ADMIN) || actor.has(Role.AUDITOR);
    }

    private JsonNode list(Principal actor) {
        ArrayNode data = AdminRoutes.JSON.createArrayNode();
        for (Collection c : collections.list()) {
            if (seesAll(actor) || c.manageableBy(actor)) {
                data.add(status(c));
            }
        }
        ObjectNode out = AdminRoutes.JSON.createObjectNode().put("object", "list");
        out.set("data", data);
        return out;
    }

    private JsonNode create(Principal actor, JsonNode body) {
        if (!actor.has(Role.ADMIN) && !actor.has(Role.TEAM_ADMIN)) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins and team admins create collections.");
        }
        JsonNode name = body == null ? null : body.get("name");
        JsonNode settings = body == null ? null : body.get("settings");
        if (name == null || !name.isTextual() || settings == null || !settings.isObject()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Send {\"name\": \"<collection>\", \"settings\": {...}} with the"
                    + " settings as in fundament.yaml's collections section (owner, readers, sources, ...).", "settings");
        }
        Collection c;
        try {
            c = collections.create(actor, name.asText(), settings);
        } catch (ConfigException e) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The collection's settings have problems: " + e.problems()
                    .stream().map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")) + ".", "settings");
        }
        adminActions.fire(new AdminAction(actor, "collection.create", c.name(), Map.of("owner", c.spec().owner())));
        return status(c);
    }

    private JsonNode status(Collection c) {
        Collections.Status s = collections.status(c.name());
        ObjectNode out = AdminRoutes.JSON.createObjectNode().put("object", "collection").put("name", c.name())
                .put("description", c.spec().description()).put("owner", c.spec().owner()).put("origin", c.origin())
                .put("embedding_model", c.spec().embeddingModel()).put("answer_model", c.spec().answerModel())
                .put("pii", c.spec().pii().action().wire());
        c.spec().readers().forEach(out.putArray("readers")::add);
        out.put("documents", s.counts().indexed()).put("failed_documents", s.counts().failed())
                .put("chunks", s.counts().chunks()).put("indexed_chunks", s.indexedChunks()).put("index_position", s.indexPosition());
        ArrayNode sources = out.putArray("sources");
        for (Collections.SourceStatus src : s.sources()) {
            ObjectNode o = sources.addObject().put("name", src.name()).put("type", src.type()).put("state", src.state())
                    .put("error", src.error())
                    .put("last_run_at", src.lastRunAt() == null ? null : src.lastRunAt().toString())
                    .put("last_success_at", src.lastSuccessAt() == null ? null : src.lastSuccessAt().toString());
            SourceSpec spec = c.spec().sources().stream().filter(x -> x.name().equals(src.name())).findFirst().orElseThrow();
            o.put("interval_seconds", spec.interval().toSeconds());
            if (src.progress() != null) {
                o.set("progress", progress(src.progress()));
            }
        }
        return out;
    }

    private static JsonNode progress(Progress p) {
        return AdminRoutes.JSON.createObjectNode().put("state", p.state())
                .put("started_at", p.startedAt().toString())
                .put("finished_at", p.finishedAt() == null ? null : p.finishedAt().toString())
                .put("expected", p.expected()).put("seen", p.seen()).put("indexed", p.indexed())
                .put("unchanged", p.unchanged()).put("failed", p.failed()).put("deleted", p.deleted())
                .put("chunks", p.chunks())
                .put("documents_per_second", Math.round(p.documentsPerSecond() * 100) / 100.0)
                .put("chunks_per_second", Math.round(p.chunksPerSecond() * 100) / 100.0)
                .put("eta_seconds", p.etaSeconds()).put("error", p.error());
    }

    private static JsonNode document(StoredDocument d) {
        ObjectNode o = AdminRoutes.JSON.createObjectNode().put("id", d.id()).put("source", d.source()).put("uri", d.uri())
                .put("title", d.title()).put("status", d.status()).put("reason", d.reason()).put("chunks", d.chunks())
                .put("version", d.version()).put("revision", d.revision())
                .put("modified_at", d.modifiedAt() == null ? null : d.modifiedAt().toString())
                .put("ingested_at", d.ingestedAt().toString()).put("personal_data", d.pii());
        d.readers().stream().sorted().forEach(o.putArray("readers")::add);
        return o;
    }
}
