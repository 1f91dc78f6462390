package dev.fundament.providers.openai;

import dev.fundament.config.ProviderSpec;
import dev.fundament.config.ProviderType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Where and how to call one OpenAI-flavoured server. OpenAI and compatible servers take
 * {@code /chat/completions} below the base URL with a bearer token; Azure OpenAI takes
 * {@code /openai/deployments/{deployment}/chat/completions?api-version=...} with an {@code api-key}
 * header, and the deployment, not the body's {@code model}, selects the model.
 */
final class OpenAiEndpoints {

    private final boolean azure;
    private final String apiVersion;
    private final Map<String, String> headers;

    OpenAiEndpoints(ProviderSpec spec, String apiKey) {
        this.azure = spec.type() == ProviderType.AZURE_OPENAI;
        this.apiVersion = spec.apiVersion();
        Map<String, String> h = new HashMap<>(spec.headers());
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        if (apiKey != null) {
            if (azure) {
                h.put("api-key", apiKey);
            } else {
                h.put("Authorization", "Bearer " + apiKey);
            }
        }
        this.headers = Map.copyOf(h);
    }

    String chatPath(String model) {
        return path(model, "/chat/completions");
    }

    String embeddingsPath(String model) {
        return path(model, "/embeddings");
    }

    /** @return the model to name in the body, or {@code null} for Azure, where the URL names it */
    String bodyModel(String model) {
        return azure ? null : model;
    }

    Map<String, String> headers() {
        return headers;
    }

    private String path(String model, String operation) {
        if (!azure) {
            return operation;
        }
        return "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + operation
                + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
    }
}
