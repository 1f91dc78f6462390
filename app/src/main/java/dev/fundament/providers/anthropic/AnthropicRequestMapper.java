package dev.fundament.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import java.util.List;
import java.util.Locale;

/**
 * Writes a vendor-neutral {@link ChatRequest} as an Anthropic Messages API request.
 *
 * <p>Anthropic differs from OpenAI in ways this class absorbs: system and developer messages go to
 * the top-level {@code system} string; {@code max_tokens} is required; tool answers are
 * {@code tool_result} blocks inside a user message; and roles must alternate, so consecutive messages
 * that end up with the same role are merged into one. Blank text parts are dropped (Anthropic rejects
 * them) and a message left without blocks is dropped with them.
 *
 * <p>Tools, {@code tool_choice} and the {@code json_schema} emulation are written by
 * {@link AnthropicToolMapper}; {@code json_object} becomes an instruction appended to the system prompt.
 */
final class AnthropicRequestMapper {

    static final String JSON_OBJECT_INSTRUCTION = "Respond with a single valid JSON object and nothing else:"
            + " no text before or after it and no Markdown code fences.";
    private static final String DEFAULT_SCHEMA_TOOL = "json_response";

    private AnthropicRequestMapper() {
    }

    /**
     * A request ready to send.
     *
     * @param body       the JSON body
     * @param schemaTool the name of the tool emulating {@code json_schema}, or {@code null}
     */
    record Mapped(byte[] body, String schemaTool) {
    }

    /**
     * @param model            the upstream model name
     * @param defaultMaxTokens sent as {@code max_tokens} when the request sets none
     * @throws GatewayException when the request uses something Anthropic cannot take (an audio part,
     *                          an image URL that is neither {@code data:} nor http(s))
     */
    static Mapped map(ChatRequest request, String model, int defaultMaxTokens, boolean stream) {
        ObjectNode root = AnthropicJson.MAPPER.createObjectNode();
        root.put("model", model);
        root.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens);
        String system = system(request);
        if (system != null) {
            root.put("system", system);
        }
        root.set("messages", messages(request.messages()));
        if (request.temperature() != null) {
            root.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            root.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stops = root.putArray("stop_sequences");
            request.stop().forEach(stops::add);
        }
        if (request.user() != null) {
            root.putObject("metadata").put("user_id", request.user());
        }
        String schemaTool = AnthropicToolMapper.tools(request, schemaToolName(request.responseFormat()), root);
        if (stream) {
            root.put("stream", true);
        }
        try {
            return new Mapped(AnthropicJson.MAPPER.writeValueAsBytes(root), schemaTool);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    private static String schemaToolName(ResponseFormat format) {
        if (!(format instanceof ResponseFormat.JsonSchema schema)) {
            return null;
        }
        return schema.name() == null || schema.name().isBlank() ? DEFAULT_SCHEMA_TOOL : schema.name();
    }

    private static String system(ChatRequest request) {
        StringBuilder out = new StringBuilder();
        for (Message m : request.messages()) {
            if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
                appendParagraph(out, m.text());
            }
        }
        if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
            appendParagraph(out, JSON_OBJECT_INSTRUCTION);
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static void appendParagraph(StringBuilder out, String text) {
        if (text.isBlank()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append("\n\n");
        }
        out.append(text);
    }

    private static ArrayNode messages(List<Message> messages) {
        ArrayNode out = AnthropicJson.MAPPER.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
                continue;
            }
            ArrayNode blocks = blocks(m, "messages[" + i + "]");
            if (blocks.isEmpty()) {
                continue;
            }
            String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
            if (role.equals(lastRole)) {
                lastContent.addAll(blocks);
            } else {
                ObjectNode message = out.addObject();
                message.put("role", role);
                lastContent = message.putArray("content");
                lastContent.addAll(blocks);
                lastRole = role;
            }
        }
        return out;
    }

    private static ArrayNode blocks(Message m, String path) {
        ArrayNode blocks = AnthropicJson.MAPPER.createArrayNode();
        if (m.role() == Role.TOOL) {
            ObjectNode result = blocks.addObject();
            result.put("type", "tool_result");
            result.put("tool_use_id", m.toolCallId());
            String text = m.text();
            if (!text.isEmpty()) {
                result.put("content", text);
            }
            return blocks;
        }
        for (int j = 0; j < m.content().size(); j++) {
            String partPath = path + ".content[" + j + "]";
            switch (m.content().get(j)) {
                case ContentPart.Text t when t.text().isBlank() -> { }
                case ContentPart.Text t -> blocks.addObject().put("type", "text").put("text", t.text());
                case ContentPart.Image image -> blocks.add(image(image, partPath + ".image_url.url"));
                case ContentPart.Other other -> throw new GatewayException(ErrorKind.UNSUPPORTED_PARAMETER,
                        "Content part type '" + other.type() + "' in '" + partPath + "' cannot be sent to an Anthropic"
                                + " model; send 'text' and 'image_url' parts, or route this model to another provider.",
                        partPath);
            }
        }
        if (m.role() == Role.ASSISTANT) {
            for (ToolCall call : m.toolCalls()) {
                ObjectNode use = blocks.addObject();
                use.put("type", "tool_use");
                use.put("id", call.id());
                use.put("name", call.name());
                use.set("input", arguments(call.arguments()));
            }
        }
        return blocks;
    }

    /** Anthropic wants the arguments as a JSON object; arguments that are not one become {@code {}}. */
    private static ObjectNode arguments(String json) {
        if (json != null && !json.isBlank()) {
            try {
                JsonNode parsed = AnthropicJson.MAPPER.readTree(json);
                if (parsed instanceof ObjectNode object) {
                    return object;
                }
            } catch (JsonProcessingException e) {
                // the model produced invalid JSON earlier; Anthropic accepts no such input, so send {}
            }
        }
        return AnthropicJson.MAPPER.createObjectNode();
    }

    private static ObjectNode image(ContentPart.Image image, String path) {
        String url = image.url();
        ObjectNode block = AnthropicJson.MAPPER.createObjectNode();
        block.put("type", "image");
        ObjectNode source = block.putObject("source");
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "The image data URL in '" + path
                        + "' is not base64-encoded; use 'data:<media type>;base64,<data>'.", path);
            }
            int semicolon = meta.indexOf(';');
            source.put("type", "base64");
            source.put("media_type", meta.substring(0, semicolon));
            source.put("data", url.substring(comma + 1));
        } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
            source.put("type", "url");
            source.put("url", url);
        } else {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The image URL in '" + path
                    + "' must be an http(s) URL or a base64 data URL.", path);
        }
        return block;
    }
}
