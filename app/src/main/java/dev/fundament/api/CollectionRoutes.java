package dev.fundament.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.retrieval.Collection;
import dev.fundament.retrieval.Collections;
import dev.fundament.retrieval.Hit;
import dev.fundament.retrieval.Readers;
import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.SourceDocument;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Company data under {@code /v1/collections}: {@code GET} lists the collections the caller may
 * search; {@code POST /{name}/search} searches one ({@code {"query", "top_k", "filters"}});
 * {@code POST /{name}/documents} pushes documents ({@code {"documents": [{"id", "text", "title",
 * "media_type", "uri", "readers", "metadata"}]}}) through the ingestion pipeline;
 * {@code DELETE /{name}/documents/{id}} removes one. Work that embeds or touches the store runs on a
 * worker thread.
 */
final class CollectionRoutes {

    static final String PATH = "/v1/collections";
    static final int MAX_TOP_K = 100;
    static final int MAX_QUERY = 10_000;
    static final int MAX_DOCUMENTS = 100;
    /**
     * A pushed document's readers and metadata (rag_documents.readers takes 100,000 characters); the
     * metadata as a whole is also bounded as stored ({@link Bounds#DOCUMENT_METADATA_JSON}).
     */
    static final int MAX_READERS = 100;
    static final int MAX_METADATA_ENTRIES = 64;
    static final int MAX_METADATA_KEY = 100;
    static final int MAX_METADATA_VALUE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Collections collections;

    CollectionRoutes(Collections collections) {
        this.collections = collections;
    }

    /** @return the method a collection path takes, or null for an unknown path */
    static HttpMethod expected(String path, HttpMethod actual) {
        if (path.equals(PATH)) {
            return HttpMethod.GET;
        }
        String[] parts = path.substring(PATH.length() + 1).split("/", 3);
        if (parts.length == 2 && parts[1].equals("search")) {
            return HttpMethod.POST;
        }
        if (parts.length == 2 && parts[1].equals("documents")) {
            return HttpMethod.POST;
        }
        if (parts.length == 3 && parts[1].equals("documents") && !parts[2].isEmpty()) {
            return HttpMethod.DELETE;
        }
        return null;
    }

    void handle(RoutingContext rc, Principal principal, JsonNode body) {
        String path = rc.normalizedPath();
        if (path.equals(PATH)) {
            blocking(rc, () -> list(principal));
            return;
        }
        String[] parts = path.substring(PATH.length() + 1).split("/", 3);
        String name = Bounds.check(parts[0], Bounds.COLLECTION, "collection");
        if (parts[1].equals("search")) {
            Search search = search(body);
            blocking(rc, () -> results(name, search, collections.search(principal, name, search.query(), search.topK(),
                    search.filters())));
        } else if (rc.request().method() == HttpMethod.POST) {
            String source = Bounds.check(text(body, "source", "api"), Bounds.DOCUMENT_SOURCE, "source");
            List<SourceDocument> documents = documents(body);
            blocking(rc, () -> {
                ArrayNode data = JSON.createArrayNode();
                for (Collections.Pushed p : collections.push(principal, name, source, documents)) {
                    data.addObject().put("id", p.id()).put("status", p.status()).put("reason", p.reason()).put("chunks", p.chunks());
                }
                collections.catchUp();
                ObjectNode out = JSON.createObjectNode().put("object", "list").put("collection", name);
                out.set("data", data);
                return out;
            });
        } else {
            String id = Bounds.pathSegment(parts[2], Bounds.DOCUMENT_ID, "id");
            blocking(rc, () -> {
                boolean removed = collections.remove(principal, name, id);
                if (!removed) {
                    throw new GatewayException(ErrorKind.NOT_FOUND, "Collection '" + name + "' has no document '" + id + "'.", "id");
                }
                collections.catchUp();
                return JSON.createObjectNode().put("id", id).put("object", "collection.document").put("deleted", true);
            });
        }
    }

    private JsonNode list(Principal principal) {
        Set<String> readers = Readers.of(principal);
        ArrayNode data = JSON.createArrayNode();
        for (Collection c : collections.list()) {
            if (c.searchableBy(principal, readers)) {
                data.addObject().put("object", "collection").put("id", c.name()).put("description", c.spec().description())
                        .put("owner", c.spec().owner()).put("model", "rag/" + c.name());
            }
        }
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        out.set("data", data);
        return out;
    }

    /** A search request. */
    record Search(String query, int topK, Map<String, String> filters) {
    }

    static Search search(JsonNode body) {
        JsonNode q = body.get("query");
        if (q == null || !q.isTextual() || q.asText().isBlank()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'query' is required: the text to search for.", "query");
        }
        if (q.asText().length() > MAX_QUERY) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'query' has " + q.asText().length() + " characters; at most "
                    + MAX_QUERY + " are allowed.", "query");
        }
        int topK = 10;
        JsonNode k = body.get("top_k");
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber() || k.asInt() < 1 || k.asInt() > MAX_TOP_K) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'top_k' must be a whole number from 1 to " + MAX_TOP_K
                        + ", was " + k + ".", "top_k");
            }
            topK = k.asInt();
        }
        Map<String, String> filters = new LinkedHashMap<>();
        JsonNode f = body.get("filters");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'filters' must be an object of field to value, such as"
                        + " {\"source\": \"tickets\"}.", "filters");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new GatewayException(ErrorKind.INVALID_REQUEST, "'filters." + e.getKey() + "' must be a string.",
                            "filters");
                }
                filters.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Search(q.asText(), topK, filters);
    }

    static ObjectNode results(String collection, Search search, List<Hit> hits) {
        ObjectNode out = JSON.createObjectNode().put("object", "list").put("collection", collection).put("query", search.query());
        ArrayNode data = out.putArray("data");
        int rank = 0;
        for (Hit h : hits) {
            data.add(hit(h, ++rank));
        }
        return out;
    }

    /** One result, also the shape of a citation. */
    static ObjectNode hit(Hit h, int rank) {
        ObjectNode o = JSON.createObjectNode().put("object", "collection.chunk").put("rank", rank).put("id", h.id())
                .put("document", h.document()).put("title", h.title())
                .put("score", Math.round(h.score() * 1e6) / 1e6).put("text", h.text())
                .put("source", h.metadata().get("source")).put("uri", h.metadata().get("uri"))
                .put("heading", h.metadata().get("heading"));
        ObjectNode metadata = o.putObject("metadata");
        h.metadata().forEach((k, v) -> {
            if (!List.of("source", "uri", "heading", "ordinal").contains(k)) {
                metadata.put(k, v);
            }
        });
        return o;
    }

    static List<SourceDocument> documents(JsonNode body) {
        JsonNode docs = body.get("documents");
        if (docs == null || !docs.isArray() || docs.isEmpty()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'documents' is required: a list of {\"id\", \"text\", ...}.",
                    "documents");
        }
        if (docs.size() > MAX_DOCUMENTS) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'documents' has " + docs.size() + " items; at most "
                    + MAX_DOCUMENTS + " per request.", "documents");
        }
        List<SourceDocument> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            JsonNode d = docs.get(i);
            String where = "documents[" + i + "]";
            if (!d.isObject()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + "' must be an object.", where);
            }
            String id = text(d, "id", null);
            String text = text(d, "text", null);
            if (id == null || id.isBlank()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".id' is required (at most "
                        + Bounds.DOCUMENT_ID + " characters).", where + ".id");
            }
            Bounds.check(id, Bounds.DOCUMENT_ID, where + ".id");
            if (text == null || text.isBlank()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".text' is required.", where + ".text");
            }
            String mediaType = text(d, "media_type", "text/plain");
            if (!List.of("text/plain", "text/markdown", "text/html").contains(mediaType)) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".media_type' is text/plain, text/markdown"
                        + " or text/html, was '" + mediaType + "'.", where + ".media_type");
            }
            Set<String> readers = new LinkedHashSet<>();
            JsonNode r = d.get("readers");
            if (r != null && !r.isNull()) {
                if (!r.isArray()) {
                    throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".readers' must be a list such as"
                            + " [\"team:hr\", \"group:works-council\"].", where + ".readers");
                }
                if (r.size() > MAX_READERS) {
                    throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".readers' has " + r.size()
                            + " entries; at most " + MAX_READERS + " are allowed.", where + ".readers");
                }
                for (JsonNode e : r) {
                    String entry = Bounds.check(e.asText(), Bounds.SUBJECT + 6, where + ".readers");
                    if (!entry.equals("public") && !entry.matches("(team|group|user):\\S+")) {
                        throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + where + ".readers' has '" + entry
                                + "'; a reader is public, team:<id>, group:<name> or user:<id>.", where + ".readers");
                    }
                    readers.add(entry);
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode m = d.get("metadata");
            if (m != null && m.isObject()) {
                m.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            }
            Bounds.check(metadata, MAX_METADATA_ENTRIES, MAX_METADATA_KEY, MAX_METADATA_VALUE, where + ".metadata");
            storedLength(metadata, where + ".metadata");
            out.add(new SourceDocument(id, Bounds.check(text(d, "uri", null), Bounds.DOCUMENT_URI, where + ".uri"),
                    Bounds.check(text(d, "title", null), Bounds.DOCUMENT_TITLE, where + ".title"), Instant.now(), null, readers, metadata,
                    new Content.Text(text, mediaType)));
        }
        return out;
    }

    /**
     * The metadata as stored (rag_documents.metadata holds it as JSON): quotes and backslashes double
     * when escaped, so 64 values of 10,000 quotes passed the per-entry bounds and then overflowed the
     * column. Measured as written, with room left for what the personal-data policy puts in its place.
     */
    private static void storedLength(Map<String, String> metadata, String param) {
        int json;
        try {
            json = JSON.writeValueAsString(metadata).length();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' cannot be written as JSON.", param);
        }
        if (json > Bounds.DOCUMENT_METADATA_JSON) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' takes " + json + " characters as JSON"
                    + " (quotes and backslashes count twice); at most " + Bounds.DOCUMENT_METADATA_JSON + " are allowed.", param);
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static void blocking(RoutingContext rc, Callable<JsonNode> work) {
        rc.vertx().<JsonNode>executeBlocking(work, false).onComplete(result -> {
            if (result.failed()) {
                ErrorResponses.send(rc.response(), result.cause());
            } else if (!rc.response().ended()) {
                rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(result.result().toString()));
            }
        });
    }
}
