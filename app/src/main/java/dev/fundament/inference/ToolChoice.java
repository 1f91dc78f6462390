package dev.fundament.inference;

/** How the model may use tools: {@code auto}, {@code none}, {@code required}, or one named function. */
public sealed interface ToolChoice {

    enum Mode implements ToolChoice { AUTO, NONE, REQUIRED }

    record Function(String name) implements ToolChoice {
    }
}
