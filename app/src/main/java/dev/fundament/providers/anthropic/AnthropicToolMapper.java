package dev.fundament.providers.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;

/**
 * Writes {@code tools} and {@code tool_choice} of an Anthropic request, including the emulation of
 * OpenAI's {@code response_format: json_schema}.
 *
 * <p>Anthropic has no structured-output switch, so the schema becomes one more tool, named after the
 * schema, whose {@code input_schema} is the requested schema; the response mapper and the stream
 * parser turn that tool's input back into the answer text. The tool is forced
 * ({@code tool_choice: {type: tool}}) when the caller offers no tools of its own or forbids calling
 * them ({@code tool_choice: none}). When the caller's tools may be called, forcing the answer tool
 * would silently disable them, so {@code tool_choice: {type: any}} lets the model either call one of
 * the caller's tools or give its answer, which is what OpenAI allows; a caller's forced function stays
 * forced.
 *
 * <p>{@code tool_choice} is sent whenever tools are ({@code type: auto}, Anthropic's own default, when
 * the caller chose nothing). OpenAI's {@code parallel_tool_calls: false} becomes
 * {@code disable_parallel_tool_use: true} inside it, except beside {@code type: none}, which takes no
 * such flag.
 */
final class AnthropicToolMapper {

    private static final String SCHEMA_TOOL_DESCRIPTION = "Give your final answer by calling this tool: its input"
            + " is the answer, a JSON object matching the schema.";

    private AnthropicToolMapper() {
    }

    /**
     * @param schemaTool the name of the tool emulating {@code json_schema}, or {@code null} when the
     *                   request asks for no schema
     * @return {@code schemaTool}, for the response side
     */
    static String tools(ChatRequest request, String schemaTool, ObjectNode root) {
        if (request.tools().isEmpty() && schemaTool == null) {
            return null;
        }
        ArrayNode tools = root.putArray("tools");
        for (ToolDefinition tool : request.tools()) {
            tools.add(tool(tool.name(), tool.description(), tool.parameters()));
        }
        if (schemaTool != null) {
            ResponseFormat.JsonSchema schema = (ResponseFormat.JsonSchema) request.responseFormat();
            String description = schema.description() != null && !schema.description().isBlank()
                    ? schema.description() + "\n\n" + SCHEMA_TOOL_DESCRIPTION : SCHEMA_TOOL_DESCRIPTION;
            tools.add(tool(schemaTool, description, schema.schema()));
        }
        root.set("tool_choice", toolChoice(request, schemaTool));
        return schemaTool;
    }

    private static ObjectNode tool(String name, String description, ObjectNode parameters) {
        ObjectNode tool = AnthropicJson.MAPPER.createObjectNode();
        tool.put("name", name);
        if (description != null && !description.isBlank()) {
            tool.put("description", description);
        }
        if (parameters != null) {
            tool.set("input_schema", parameters);
        } else {
            tool.putObject("input_schema").put("type", "object");
        }
        return tool;
    }

    private static ObjectNode toolChoice(ChatRequest request, String schemaTool) {
        ToolChoice choice = request.toolChoice();
        ObjectNode out = AnthropicJson.MAPPER.createObjectNode();
        if (schemaTool != null && (request.tools().isEmpty() || choice == ToolChoice.Mode.NONE)) {
            out.put("type", "tool").put("name", schemaTool);
        } else if (schemaTool != null && !(choice instanceof ToolChoice.Function)) {
            out.put("type", "any");
        } else if (choice == null) {
            out.put("type", "auto");
        } else {
            switch (choice) {
                case ToolChoice.Mode.AUTO -> out.put("type", "auto");
                case ToolChoice.Mode.REQUIRED -> out.put("type", "any");
                case ToolChoice.Mode.NONE -> out.put("type", "none");
                case ToolChoice.Function function -> out.put("type", "tool").put("name", function.name());
            }
        }
        if (Boolean.FALSE.equals(request.parallelToolCalls()) && !"none".equals(out.path("type").asText())) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }
}
