package dev.fundament.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible upstream that answers with the last user message, word for word, so tests can
 * see exactly what a model received and what comes back. Streams it in three-character chunks, so
 * anything longer than that crosses chunk borders. Serves several "sites" under one port
 * ({@code /cloud/v1}, {@code /onprem/v1}) and records every request body per site. A message starting
 * {@code reverse:} is answered reversed, so a test can make the model "say" what the request did not
 * contain; one starting {@code call:} is answered with a call of the tool {@code send} whose arguments
 * are the rest of the message reversed, streamed in three-character fragments.
 */
public final class EchoUpstream {

    /** Request bodies received, as {@code site + " " + body}. */
    public static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    /** Sites whose {@code GET .../models} answers 503, for health-check tests. */
    public static final java.util.Set<String> DOWN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EchoUpstream() {
    }

    /** @return the request bodies one site received */
    public static List<String> receivedBy(String site) {
        return RECEIVED.stream().filter(r -> r.startsWith(site + " ")).map(r -> r.substring(site.length() + 1)).toList();
    }

    static Future<HttpServer> start(Vertx vertx) {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String site = req.path().split("/")[1];
            if (req.method() == io.vertx.core.http.HttpMethod.GET) {
                boolean down = DOWN.contains(site);
                req.response().setStatusCode(down ? 503 : 200).putHeader("Content-Type", "application/json")
                        .end(down ? "{\"error\":{\"message\":\"down\"}}" : "{\"object\":\"list\",\"data\":[]}");
                return;
            }
            RECEIVED.add(site + " " + body.toString());
            JsonObject request = body.toJsonObject();
            JsonArray messages = request.getJsonArray("messages");
            String text = "";
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonObject m = messages.getJsonObject(i);
                if ("user".equals(m.getString("role"))) {
                    text = m.getValue("content") instanceof String s ? s : "";
                    break;
                }
            }
            if (text.startsWith("reverse:")) {
                text = new StringBuilder(text.substring("reverse:".length())).reverse().toString();
            }
            HttpServerResponse response = req.response();
            if (text.startsWith("call:")) {
                toolCall(response, new StringBuilder(text.substring("call:".length())).reverse().toString(),
                        request.getBoolean("stream", false));
                return;
            }
            if (!request.getBoolean("stream", false)) {
                response.putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("id", "chatcmpl-echo").put("object", "chat.completion").put("created", 1700000000)
                        .put("model", "echo").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                                .put("message", new JsonObject().put("role", "assistant").put("content", text))
                                .put("finish_reason", "stop")))
                        .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15))
                        .encode());
                return;
            }
            response.setChunked(true).putHeader("Content-Type", "text/event-stream");
            send(response, delta(new JsonObject().put("role", "assistant").put("content", ""), null));
            for (int i = 0; i < text.length(); i += 3) {
                send(response, delta(new JsonObject().put("content", text.substring(i, Math.min(text.length(), i + 3))), null));
            }
            send(response, delta(new JsonObject(), "stop"));
            send(response, new JsonObject().put("id", "chatcmpl-echo").put("object", "chat.completion.chunk")
                    .put("created", 1700000000).put("model", "echo").put("choices", new JsonArray())
                    .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15)));
            response.end("data: [DONE]\n\n");
        })).listen(0, "127.0.0.1");
    }

    private static void toolCall(HttpServerResponse response, String arguments, boolean stream) {
        JsonObject function = new JsonObject().put("name", "send");
        if (!stream) {
            JsonObject call = new JsonObject().put("id", "call_echo").put("type", "function")
                    .put("function", function.put("arguments", arguments));
            response.putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("id", "chatcmpl-echo").put("object", "chat.completion").put("created", 1700000000)
                    .put("model", "echo").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                            .put("message", new JsonObject().put("role", "assistant").putNull("content")
                                    .put("tool_calls", new JsonArray().add(call)))
                            .put("finish_reason", "tool_calls")))
                    .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15))
                    .encode());
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream");
        send(response, delta(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
                .add(new JsonObject().put("index", 0).put("id", "call_echo").put("type", "function")
                        .put("function", function.put("arguments", "")))), null));
        for (int i = 0; i < arguments.length(); i += 3) {
            send(response, delta(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0)
                    .put("function", new JsonObject().put("arguments", arguments.substring(i, Math.min(arguments.length(), i + 3)))))),
                    null));
        }
        send(response, delta(new JsonObject(), "tool_calls"));
        response.end("data: [DONE]\n\n");
    }

    private static JsonObject delta(JsonObject delta, String finish) {
        return new JsonObject().put("id", "chatcmpl-echo").put("object", "chat.completion.chunk").put("created", 1700000000)
                .put("model", "echo").put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finish)));
    }

    private static void send(HttpServerResponse response, JsonObject event) {
        response.write("data: " + event.encode() + "\n\n");
    }
}
