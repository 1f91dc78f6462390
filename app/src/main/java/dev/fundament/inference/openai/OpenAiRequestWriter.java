package dev.fundament.inference.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;
import java.io.IOException;
import java.util.Map;

/**
 * Writes inference requests as OpenAI JSON for an OpenAI-compatible upstream. Only fields the caller
 * set are written, so the upstream's defaults apply; extensions are written back verbatim.
 */
public final class OpenAiRequestWriter {

    private OpenAiRequestWriter() {
    }

    /**
     * @param upstreamModel the model name the upstream knows; {@code null} omits the field (Azure names
     *                      the deployment in the URL)
     * @param includeUsage  for streams, whether to ask the upstream for a final usage chunk
     */
    public static byte[] chat(ChatRequest r, String upstreamModel, boolean includeUsage) {
        return Json.write(2048, g -> {
            g.writeStartObject();
            if (upstreamModel != null) {
                g.writeStringField("model", upstreamModel);
            }
            g.writeArrayFieldStart("messages");
            for (Message m : r.messages()) {
                message(g, m);
            }
            g.writeEndArray();
            if (r.stream()) {
                g.writeBooleanField("stream", true);
                if (includeUsage) {
                    g.writeObjectFieldStart("stream_options");
                    g.writeBooleanField("include_usage", true);
                    g.writeEndObject();
                }
            }
            if (!r.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (ToolDefinition t : r.tools()) {
                    tool(g, t);
                }
                g.writeEndArray();
            }
            toolChoice(g, r.toolChoice());
            if (r.parallelToolCalls() != null) {
                g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls());
            }
            responseFormat(g, r.responseFormat());
            if (r.temperature() != null) {
                g.writeNumberField("temperature", r.temperature());
            }
            if (r.topP() != null) {
                g.writeNumberField("top_p", r.topP());
            }
            if (!r.stop().isEmpty()) {
                g.writeArrayFieldStart("stop");
                for (String s : r.stop()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            if (r.user() != null) {
                g.writeStringField("user", r.user());
            }
            if (r.maxTokens() != null && !r.extensions().containsKey("max_tokens")
                    && !r.extensions().containsKey("max_completion_tokens")) {
                g.writeNumberField("max_completion_tokens", r.maxTokens());
            }
            extensions(g, r.extensions());
            g.writeEndObject();
        });
    }

    public static byte[] embedding(EmbeddingRequest r, String upstreamModel) {
        return Json.write(256 + r.inputs().size() * 64, g -> {
            g.writeStartObject();
            if (upstreamModel != null) {
                g.writeStringField("model", upstreamModel);
            }
            if (!r.inputs().isEmpty()) {
                g.writeArrayFieldStart("input");
                for (String s : r.inputs()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            g.writeStringField("encoding_format", "float");
            if (r.dimensions() != null) {
                g.writeNumberField("dimensions", r.dimensions());
            }
            if (r.user() != null) {
                g.writeStringField("user", r.user());
            }
            extensions(g, r.extensions());
            g.writeEndObject();
        });
    }

    private static void message(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().wire());
        if (m.textOnly()) {
            g.writeStringField("content", m.text());
        } else if (m.content().isEmpty()) {
            g.writeNullField("content");
        } else {
            g.writeArrayFieldStart("content");
            for (ContentPart part : m.content()) {
                part(g, part);
            }
            g.writeEndArray();
        }
        if (m.name() != null) {
            g.writeStringField("name", m.name());
        }
        toolCalls(g, m.toolCalls());
        if (m.toolCallId() != null) {
            g.writeStringField("tool_call_id", m.toolCallId());
        }
        extensions(g, m.extensions());
        g.writeEndObject();
    }

    private static void part(JsonGenerator g, ContentPart part) throws IOException {
        switch (part) {
            case ContentPart.Text t -> {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
                g.writeEndObject();
            }
            case ContentPart.Image i -> {
                g.writeStartObject();
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url", i.url());
                if (i.detail() != null) {
                    g.writeStringField("detail", i.detail());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            case ContentPart.Other o -> g.writeTree(o.raw());
        }
    }

    private static void tool(JsonGenerator g, ToolDefinition t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", t.name());
        if (t.description() != null) {
            g.writeStringField("description", t.description());
        }
        if (t.parameters() != null) {
            g.writeFieldName("parameters");
            g.writeTree(t.parameters());
        }
        if (t.strict() != null) {
            g.writeBooleanField("strict", t.strict());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void toolChoice(JsonGenerator g, ToolChoice choice) throws IOException {
        switch (choice) {
            case null -> { }
            case ToolChoice.Mode mode -> g.writeStringField("tool_choice", mode.name().toLowerCase());
            case ToolChoice.Function f -> {
                g.writeObjectFieldStart("tool_choice");
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", f.name());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    private static void responseFormat(JsonGenerator g, ResponseFormat format) throws IOException {
        switch (format) {
            case null -> { }
            case ResponseFormat.Text t -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "text");
                g.writeEndObject();
            }
            case ResponseFormat.JsonObject j -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_object");
                g.writeEndObject();
            }
            case ResponseFormat.JsonSchema s -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_schema");
                g.writeObjectFieldStart("json_schema");
                g.writeStringField("name", s.name());
                if (s.description() != null) {
                    g.writeStringField("description", s.description());
                }
                if (s.schema() != null) {
                    g.writeFieldName("schema");
                    g.writeTree(s.schema());
                }
                if (s.strict() != null) {
                    g.writeBooleanField("strict", s.strict());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    /** Writes {@code tool_calls} when there are any: the same shape in requests and answers. */
    static void toolCalls(JsonGenerator g, java.util.List<ToolCall> calls) throws IOException {
        if (calls.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("tool_calls");
        for (ToolCall call : calls) {
            g.writeStartObject();
            g.writeStringField("id", call.id());
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", call.name());
            g.writeStringField("arguments", call.arguments());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void extensions(JsonGenerator g, Map<String, JsonNode> extensions) throws IOException {
        for (Map.Entry<String, JsonNode> e : extensions.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
    }
}
