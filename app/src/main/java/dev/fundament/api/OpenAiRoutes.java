package dev.fundament.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.ErrorResponses;
import dev.fundament.error.GatewayException;
import dev.fundament.gateway.ChatPipeline;
import dev.fundament.gateway.EmbeddingPipeline;
import dev.fundament.gateway.GatewayRuntime;
import dev.fundament.gateway.RequestContext;
import dev.fundament.identity.AuthenticationHandler;
import dev.fundament.identity.Authenticator;
import dev.fundament.identity.ModelAccess;
import dev.fundament.identity.Principal;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.openai.OpenAiRequestReader;
import dev.fundament.inference.openai.OpenAiResponseWriter;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import org.jboss.logging.MDC;

/**
 * The OpenAI-compatible API under {@code /v1}: chat completions (plain and streamed), embeddings and
 * models; and company data under {@code /v1/collections} ({@link CollectionRoutes}). Checks that need no body (path, method, content type) run before the body is read; the body
 * is bounded by {@code server.max_body_size}. Every answer carries {@code x-request-id}.
 */
@ApplicationScoped
public class OpenAiRoutes {

    static final String REQUEST_ID = "x-request-id";
    private static final String CHAT = "/v1/chat/completions";
    private static final String EMBEDDINGS = "/v1/embeddings";
    private static final String MODELS = "/v1/models";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ChatPipeline chat;
    private final EmbeddingPipeline embeddings;
    private final GatewayRuntime runtime;
    private final ModelList models;
    private final AuthenticationHandler authentication;
    private final CollectionRoutes collectionRoutes;

    @Inject
    public OpenAiRoutes(ChatPipeline chat, EmbeddingPipeline embeddings, GatewayRuntime runtime,
                        Authenticator authenticator, ModelAccess access, dev.fundament.retrieval.Collections collections) {
        this.collectionRoutes = new CollectionRoutes(collections);
        this.chat = chat;
        this.embeddings = embeddings;
        this.runtime = runtime;
        this.models = new ModelList(runtime.routes(), access, collections);
        this.authentication = AuthenticationHandler.forApi(authenticator);
    }

    void register(@Observes Router router) {
        long limit = runtime.config().spec().server().maxBodySize().bytes();
        router.route("/v1/*").order(-102).handler(this::admit);
        router.route("/v1/*").order(-101).handler(authentication);
        router.route("/v1/*").order(-99).handler(BodyHandler.create(false).setBodyLimit(limit)
                .setHandleFileUploads(false).setMergeFormAttributes(false));
        router.route("/v1/*").order(-98).handler(this::dispatch).failureHandler(this::failure);
        router.route("/v1").order(-100).handler(rc -> {
            prepare(rc);
            ErrorResponses.send(rc.response(), unknownPath(rc));
        });
    }

    /**
     * Request id, path, method and content type: what can be refused before reading a body or asking
     * who is calling. Authentication follows as the next route step.
     */
    private void admit(RoutingContext rc) {
        prepare(rc);
        String path = rc.normalizedPath();
        HttpMethod expected = switch (path) {
            case CHAT, EMBEDDINGS -> HttpMethod.POST;
            default -> path.equals(MODELS) || path.startsWith(MODELS + "/") ? HttpMethod.GET
                    : path.equals(CollectionRoutes.PATH) || path.startsWith(CollectionRoutes.PATH + "/")
                    ? CollectionRoutes.expected(path, rc.request().method()) : null;
        };
        if (expected == null) {
            ErrorResponses.send(rc.response(), unknownPath(rc));
        } else if (rc.request().method() != expected) {
            rc.response().putHeader("Allow", expected.name());
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.METHOD_NOT_ALLOWED, "Method "
                    + rc.request().method() + " is not allowed on " + path + "; use " + expected.name() + "."));
        } else if (expected == HttpMethod.POST && !isJson(rc.request().getHeader("Content-Type"))) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported Content-Type '" + rc.request().getHeader("Content-Type")
                            + "'; send the body as JSON with 'Content-Type: application/json'."));
        } else {
            rc.next();
        }
    }

    private void prepare(RoutingContext rc) {
        String id = RequestIds.accept(rc.request().getHeader(REQUEST_ID));
        rc.put(REQUEST_ID, id);
        rc.response().putHeader(REQUEST_ID, id);
        MDC.put("request_id", id);
    }

    private void dispatch(RoutingContext rc) {
        String id = rc.get(REQUEST_ID);
        String path = rc.normalizedPath();
        Principal principal = AuthenticationHandler.principal(rc);
        try {
            switch (path) {
                case CHAT -> {
                    RequestContext ctx = new RequestContext(id, RequestContext.Operation.CHAT, System.nanoTime(), principal);
                    ctx.headers(rc.request()::getHeader);
                    chat(rc, ctx);
                }
                case EMBEDDINGS -> {
                    RequestContext ctx = new RequestContext(id, RequestContext.Operation.EMBEDDINGS, System.nanoTime(), principal);
                    ctx.headers(rc.request()::getHeader);
                    embed(rc, ctx);
                }
                case MODELS -> json(rc.response(), OpenAiResponseWriter.models(models.all(principal)));
                case String p when p.equals(CollectionRoutes.PATH) || p.startsWith(CollectionRoutes.PATH + "/") ->
                        collectionRoutes.handle(rc, principal, rc.request().method() == HttpMethod.POST ? body(rc) : null);
                default -> json(rc.response(), OpenAiResponseWriter.model(
                        models.one(principal, path.substring(MODELS.length() + 1))));
            }
        } catch (RuntimeException e) {
            ErrorResponses.send(rc.response(), e);
        }
    }

    private void chat(RoutingContext rc, RequestContext ctx) {
        ChatRequest request = OpenAiRequestReader.chat(body(rc));
        ctx.requestSha256(dev.fundament.audit.AuditChain.sha256(rc.body().buffer().getBytes()));
        HttpServerResponse response = rc.response();
        if (request.stream()) {
            chat.stream(ctx, request).subscribe().withSubscriber(new SseWriter(rc, ctx));
            return;
        }
        Cancellable call = chat.complete(ctx, request).subscribe().with(
                result -> {
                    ctx.responseHeaders().forEach(response::putHeader);
                    json(response, OpenAiResponseWriter.result(result));
                },
                failure -> ErrorResponses.send(response, failure));
        // not response.closeHandler: that replaces the handler through which Vert.x Web runs every end handler on a disconnect
        if (response.closed()) {
            call.cancel();
        } else {
            rc.addEndHandler(ended -> {
                if (!response.ended()) {
                    call.cancel(); // the client went away before its answer
                }
            });
        }
    }

    private void embed(RoutingContext rc, RequestContext ctx) {
        OpenAiRequestReader.Embedding request = OpenAiRequestReader.embedding(body(rc));
        ctx.requestSha256(dev.fundament.audit.AuditChain.sha256(rc.body().buffer().getBytes()));
        HttpServerResponse response = rc.response();
        Context loop = Vertx.currentContext();
        embeddings.embed(ctx, request.request())
                .emitOn(task -> loop.runOnContext(v -> task.run()))
                .subscribe().with(
                        result -> {
                            ctx.responseHeaders().forEach(response::putHeader);
                            json(response, OpenAiResponseWriter.embeddings(result, request.base64()));
                        },
                        failure -> ErrorResponses.send(response, failure));
    }

    private static JsonNode body(RoutingContext rc) {
        io.vertx.ext.web.RequestBody body = rc.body();
        if (body == null || body.isEmpty()) {
            throw new GatewayException(ErrorKind.INVALID_JSON, "The request body is empty; send a JSON object.");
        }
        try {
            return JSON.readTree(body.buffer().getBytes());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new GatewayException(ErrorKind.INVALID_JSON, "The request body is not valid JSON" + where + ": "
                    + e.getOriginalMessage() + ". Send a JSON object with 'Content-Type: application/json'.");
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.INVALID_JSON, "The request body could not be read as JSON.");
        }
    }

    private void failure(RoutingContext rc) {
        if (rc.response().ended()) {
            return; // already answered, such as a 408 from HttpLimits whose connection close fails the body read
        }
        if (rc.failure() != null) {
            ErrorResponses.send(rc.response(), rc.failure());
        } else if (rc.statusCode() == 413) {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.REQUEST_TOO_LARGE, "The request body is larger than "
                    + runtime.config().spec().server().maxBodySize().bytes() + " bytes, the limit set by server.max_body_size."));
        } else {
            ErrorResponses.send(rc.response(), new GatewayException(ErrorKind.INVALID_REQUEST, "The request could not be read (HTTP "
                    + rc.statusCode() + ")."));
        }
    }

    private static GatewayException unknownPath(RoutingContext rc) {
        return new GatewayException(ErrorKind.NOT_FOUND, "Unknown path '" + Bounds.quoted(rc.normalizedPath()) + "'. Fundament serves "
                + "POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models, GET /v1/models/{model}, GET /v1/collections,"
                + " POST /v1/collections/{name}/search and POST /v1/collections/{name}/documents.");
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json") || type.toLowerCase().endsWith("+json");
    }

    private static void json(HttpServerResponse response, byte[] body) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
    }
}
