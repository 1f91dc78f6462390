package dev.fundament.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * An embedding request.
 *
 * @param inputs     the texts to embed, in order
 * @param dimensions the requested output size, or {@code null} for the model's own
 * @param extensions top-level fields Fundament does not model, forwarded to OpenAI-compatible upstreams
 */
public record EmbeddingRequest(String model, List<String> inputs, Integer dimensions, String user,
                               Map<String, JsonNode> extensions) {

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
        extensions = Map.copyOf(extensions);
    }

    public EmbeddingRequest withModel(String otherModel) {
        return new EmbeddingRequest(otherModel, inputs, dimensions, user, extensions);
    }
}
