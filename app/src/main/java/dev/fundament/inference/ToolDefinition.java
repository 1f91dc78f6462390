package dev.fundament.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A function the model may call.
 *
 * @param parameters JSON schema of the arguments, or {@code null}
 * @param strict     OpenAI's structured-output flag for the function, or {@code null} when not given
 */
public record ToolDefinition(String name, String description, ObjectNode parameters, Boolean strict) {
}
