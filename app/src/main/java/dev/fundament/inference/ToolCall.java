package dev.fundament.inference;

/**
 * A function call requested by the model.
 *
 * @param arguments the arguments as the JSON text the model produced (it may be invalid JSON)
 */
public record ToolCall(String id, String name, String arguments) {
}
