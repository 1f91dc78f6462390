package dev.fundament.inference.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.inference.Message;
import dev.fundament.inference.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes answers in OpenAI's shapes: {@code chat.completion}, {@code chat.completion.chunk}, embedding
 * lists and model lists, field for field as OpenAI returns them ({@code content: null} beside tool
 * calls, {@code logprobs: null}, usage with {@code prompt_tokens_details.cached_tokens}).
 *
 * <p>A delta's {@code logprobs} extension belongs to its choice and is written there.
 */
public final class OpenAiResponseWriter {

    private OpenAiResponseWriter() {
    }

    public static byte[] result(ChatResult r) {
        return Json.write(1024, g -> {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", r.created());
            g.writeStringField("model", r.model());
            g.writeArrayFieldStart("choices");
            for (ChatResult.Choice c : r.choices()) {
                g.writeStartObject();
                g.writeNumberField("index", c.index());
                g.writeObjectFieldStart("message");
                message(g, c.message());
                g.writeEndObject();
                if (!c.extensions().containsKey("logprobs")) {
                    g.writeNullField("logprobs");
                }
                OpenAiRequestWriter.extensions(g, c.extensions());
                g.writeStringField("finish_reason", c.finishReason() == null ? "stop" : c.finishReason().wire());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("usage");
            usage(g, r.usage());
            OpenAiRequestWriter.extensions(g, r.extensions());
            g.writeEndObject();
        });
    }

    public static byte[] chunk(ChatChunk c) {
        return Json.write(256, g -> {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("object", "chat.completion.chunk");
            g.writeNumberField("created", c.created());
            g.writeStringField("model", c.model());
            OpenAiRequestWriter.extensions(g, c.extensions());
            g.writeArrayFieldStart("choices");
            for (ChatChunk.Delta d : c.choices()) {
                delta(g, d);
            }
            g.writeEndArray();
            if (c.usage() != null) {
                g.writeFieldName("usage");
                usage(g, c.usage());
            }
            g.writeEndObject();
        });
    }

    public static byte[] embeddings(EmbeddingResult r, boolean base64) {
        int size = 128 + r.vectors().size() * (base64 ? 8 : 12) * (r.vectors().isEmpty() ? 0 : r.vectors().getFirst().length);
        return Json.write(size, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            List<float[]> vectors = r.vectors();
            for (int i = 0; i < vectors.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                float[] v = vectors.get(i);
                if (base64) {
                    ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(v);
                    g.writeString(Base64.getEncoder().encodeToString(bytes.array()));
                } else {
                    g.writeStartArray(v, v.length);
                    for (float f : v) {
                        g.writeNumber(f);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", r.model());
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", r.usage().inputTokens());
            g.writeNumberField("total_tokens", r.usage().inputTokens());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** A model as {@code /v1/models} lists it. */
    public record ModelEntry(String id, long created, String ownedBy) {
    }

    public static byte[] models(List<ModelEntry> models) {
        return Json.write(128 + models.size() * 96, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (ModelEntry m : models) {
                model(g, m);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    public static byte[] model(ModelEntry m) {
        return Json.write(128, g -> model(g, m));
    }

    private static void model(JsonGenerator g, ModelEntry m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("object", "model");
        g.writeNumberField("created", m.created());
        g.writeStringField("owned_by", m.ownedBy());
        g.writeEndObject();
    }

    private static void message(JsonGenerator g, Message m) throws IOException {
        g.writeStringField("role", "assistant");
        if (m.content().isEmpty()) {
            g.writeNullField("content");
        } else {
            g.writeStringField("content", m.text());
        }
        if (!m.extensions().containsKey("refusal")) {
            g.writeNullField("refusal");
        }
        OpenAiRequestWriter.toolCalls(g, m.toolCalls());
        OpenAiRequestWriter.extensions(g, m.extensions());
    }

    private static void delta(JsonGenerator g, ChatChunk.Delta d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", d.index());
        g.writeObjectFieldStart("delta");
        if (d.role() != null) {
            g.writeStringField("role", d.role().wire());
        }
        if (d.content() != null) {
            g.writeStringField("content", d.content());
        }
        if (!d.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
                g.writeStartObject();
                g.writeNumberField("index", t.index());
                if (t.id() != null) {
                    g.writeStringField("id", t.id());
                    g.writeStringField("type", "function");
                }
                g.writeObjectFieldStart("function");
                if (t.name() != null) {
                    g.writeStringField("name", t.name());
                }
                if (t.arguments() != null) {
                    g.writeStringField("arguments", t.arguments());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        JsonNode logprobs = null;
        for (Map.Entry<String, JsonNode> e : d.extensions().entrySet()) {
            if (e.getKey().equals("logprobs")) {
                logprobs = e.getValue();
            } else {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
        }
        g.writeEndObject();
        if (logprobs != null) {
            g.writeFieldName("logprobs");
            g.writeTree(logprobs);
        } else {
            g.writeNullField("logprobs");
        }
        if (d.finishReason() != null) {
            g.writeStringField("finish_reason", d.finishReason().wire());
        } else {
            g.writeNullField("finish_reason");
        }
        g.writeEndObject();
    }

    static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("prompt_tokens", u.inputTokens());
        g.writeNumberField("completion_tokens", u.outputTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", u.cachedTokens());
        g.writeEndObject();
        g.writeObjectFieldStart("completion_tokens_details");
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        g.writeEndObject();
    }
}
