package dev.fundament.config;

/** One thing wrong with the configuration, at a YAML path such as {@code models.chat.provider}. */
public record ConfigProblem(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
