package dev.fundament.api;

import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.ModelAccess;
import dev.fundament.identity.Principal;
import dev.fundament.inference.openai.OpenAiResponseWriter.ModelEntry;
import dev.fundament.routing.Caller;
import dev.fundament.routing.Condition;
import dev.fundament.routing.Route;
import dev.fundament.routing.RouteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /v1/models} shows to a caller: of the models it may use, the configured models, then the in-process built-in ones as
 * {@code <provider>/<model>}, then {@code rag/<collection>} for each collection the caller may ask. A direct {@code <provider>/<model>} name is not listed (the set is open)
 * but {@code /v1/models/{id}} answers for it when it resolves.
 */
final class ModelList {

    private final RouteTable routes;
    private final ModelAccess access;
    private final dev.fundament.retrieval.Collections collections;
    private final long created = System.currentTimeMillis() / 1000;
    private final List<ModelEntry> all;

    ModelList(RouteTable routes, ModelAccess access, dev.fundament.retrieval.Collections collections) {
        this.collections = collections;
        this.routes = routes;
        this.access = access;
        List<ModelEntry> entries = new ArrayList<>();
        for (Route route : routes.configured().values()) {
            entries.add(entry(route));
        }
        routes.providers().forEach((name, provider) -> provider.builtInModels()
                .forEach(m -> entries.add(new ModelEntry(name + "/" + m.name(), created, name))));
        this.all = List.copyOf(entries);
    }

    /** @return the models the principal may use (a model being rolled out only to its cohort) */
    List<ModelEntry> all(Principal principal) {
        List<ModelEntry> out = new ArrayList<>(all.stream().filter(e -> visible(principal, e.id())).toList());
        out.addAll(answers(principal));
        return out;
    }

    /** {@code rag/<collection>} for each collection the caller may ask (so chat apps offer them). */
    private List<ModelEntry> answers(Principal principal) {
        java.util.Set<String> readers = dev.fundament.retrieval.Readers.of(principal);
        List<ModelEntry> out = new ArrayList<>();
        for (dev.fundament.retrieval.Collection c : collections.list()) {
            String id = "rag/" + c.name();
            if (c.searchableBy(principal, readers) && access.allowed(principal, id)) {
                out.add(new ModelEntry(id, created, c.spec().owner()));
            }
        }
        return out;
    }

    private boolean visible(Principal principal, String id) {
        if (!access.allowed(principal, id)) {
            return false;
        }
        Route route = routes.configured().get(id);
        return route == null || route.rollout() == Condition.ALWAYS || route.rollout().matches(Caller.of(principal), id);
    }

    /** A model the principal may not use answers as unknown: its existence is not revealed. */
    ModelEntry one(Principal principal, String id) {
        if (!visible(principal, id)) {
            throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "The model '" + id + "' does not exist or you do not"
                    + " have access to it.", "model");
        }
        for (ModelEntry e : all) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        if (id.startsWith("rag/")) {
            for (ModelEntry e : answers(principal)) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
            throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "The model '" + id + "' does not exist or you do not"
                    + " have access to it.", "model");
        }
        try {
            return entry(routes.resolve(id, ModelKind.CHAT));
        } catch (GatewayException chatFailure) {
            if (chatFailure.kind() == ErrorKind.WRONG_MODEL_KIND) {
                return entry(routes.resolve(id, ModelKind.EMBEDDING));
            }
            throw chatFailure;
        }
    }

    private ModelEntry entry(Route route) {
        String owner = route.targets().size() == 1 ? route.targets().getFirst().provider().name() : "fundament";
        return new ModelEntry(route.name(), created, owner);
    }
}
