package dev.fundament.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.retrieval.Collection;
import dev.fundament.retrieval.Collections;
import dev.fundament.retrieval.Hit;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval-augmented chat through the normal chat API: the model {@code rag/<collection>} means
 * "answer from this collection". The step searches the collection with the caller's identity (so
 * only passages the caller may read are used), writes them as numbered passages into a system
 * message, and hands the request to the collection's answer model; the pipeline then runs as for any
 * chat (guardrails see the passages too, so a residency rule keeps personal data from company
 * documents on-prem). Team and key model allow-lists name {@code rag/<collection>}; the answer model
 * behind it is the collection's choice, as a route's upstream models are the route's. The response carries {@code citations}: number, chunk and document id,
 * title, source URI and a snippet; on a stream, in the first chunk, so a client can show sources
 * while the answer arrives. The request's audit record names the collection and the chunks the
 * answer was given (action {@code rag}).
 */
@ApplicationScoped
public class RagAnswers {

    static final String PREFIX = "rag/";
    static final int SNIPPET = 300;
    static final String INSTRUCTIONS = "Answer the user's question using only the numbered company documents below. "
            + "Cite the documents you use by their numbers in square brackets, such as [1]. If the documents do not "
            + "contain the answer, say that you could not find it in the documents.\n\nDocuments:\n";

    private final Collections collections;
    private final dev.fundament.identity.ModelAccess access;

    @Inject
    public RagAnswers(Collections collections, dev.fundament.identity.ModelAccess access) {
        this.collections = collections;
        this.access = access;
    }

    static boolean applies(String model) {
        return model != null && model.startsWith(PREFIX);
    }

    /**
     * @param request   what goes to the answer model
     * @param citations the passages it was given, as the response shows them
     */
    public record Retrieved(ChatRequest request, JsonNode citations) {

        ChatResult cite(ChatResult result) {
            Map<String, JsonNode> extensions = new HashMap<>(result.extensions());
            extensions.put("citations", citations);
            return new ChatResult(result.id(), result.created(), result.model(), result.choices(), result.usage(), extensions);
        }

        ChatChunk cite(ChatChunk chunk) {
            Map<String, JsonNode> extensions = new HashMap<>(chunk.extensions());
            extensions.put("citations", citations);
            return new ChatChunk(chunk.id(), chunk.created(), chunk.model(), chunk.choices(), chunk.usage(), extensions);
        }
    }

    /** Searches the collection (on a worker thread: the question is embedded) and assembles the request. */
    Uni<Retrieved> retrieve(RequestContext ctx, ChatRequest request) {
        String name = request.model().substring(PREFIX.length());
        io.vertx.core.Context loop = io.vertx.core.Vertx.currentContext();
        Uni<Retrieved> retrieved = Uni.createFrom().item(() -> {
            Collection c = collections.searchable(ctx.principal(), name);
            access.check(ctx.principal(), request.model());
            ctx.collection(name);
            String question = question(request);
            List<Hit> hits = collections.search(ctx.principal(), name, question, c.spec().passages(), Map.of());
            ctx.retrieved(hits.stream().map(Hit::id).toList());
            return new Retrieved(assemble(request, c.spec().answerModel(), hits), citations(hits));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        // the rest of the request continues on its event loop, as every other request does
        return loop == null ? retrieved : retrieved.emitOn(task -> loop.runOnContext(v -> task.run()));
    }

    private static String question(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            Message m = request.messages().get(i);
            if (m.role() == Role.USER && !m.text().isBlank()) {
                return m.text();
            }
        }
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "A rag/ model answers the last user message; this request has"
                + " none with text.", "messages");
    }

    static ChatRequest assemble(ChatRequest request, String answerModel, List<Hit> hits) {
        StringBuilder system = new StringBuilder(INSTRUCTIONS);
        if (hits.isEmpty()) {
            system.append("(no documents were found)\n");
        }
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            String title = h.title() == null ? h.document() : h.title();
            String text = h.text();
            String heading = h.metadata().get("heading");
            if (heading != null && text.startsWith(heading + "\n")) { // the heading path joins the title line
                text = text.substring(heading.length() + 1);
                title = heading.startsWith(title) ? heading : title + " — " + heading;
            }
            system.append('[').append(i + 1).append("] ").append(title).append('\n').append(text).append("\n\n");
        }
        List<Message> messages = new ArrayList<>();
        messages.add(Message.text(Role.SYSTEM, system.toString()));
        messages.addAll(request.messages());
        return request.withMessages(messages).withModel(answerModel);
    }

    static JsonNode citations(List<Hit> hits) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < hits.size(); i++) {
            Hit h = hits.get(i);
            String text = h.text();
            ObjectNode c = out.addObject().put("index", i + 1).put("id", h.id()).put("document", h.document())
                    .put("title", h.title()).put("source", h.metadata().get("source")).put("uri", h.metadata().get("uri"))
                    .put("snippet", text.length() <= SNIPPET ? text : text.substring(0, SNIPPET) + "…");
            c.put("score", Math.round(h.score() * 1e6) / 1e6);
        }
        return out;
    }
}
