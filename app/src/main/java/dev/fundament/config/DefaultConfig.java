package dev.fundament.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The configuration used when no file is given: every provider whose environment variables are set,
 * each reachable as {@code <provider>/<model>}, plus the in-process models.
 *
 * <ul>
 *   <li>{@code OPENAI_API_KEY} and/or {@code OPENAI_BASE_URL}: provider {@code openai}</li>
 *   <li>{@code ANTHROPIC_API_KEY} (and optionally {@code ANTHROPIC_BASE_URL}): provider {@code anthropic}</li>
 *   <li>{@code OLLAMA_BASE_URL}: provider {@code ollama}</li>
 * </ul>
 */
final class DefaultConfig {

    private DefaultConfig() {
    }

    static ObjectNode tree(Map<String, String> env) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode providers = root.putObject("providers");
        if (set(env, "OPENAI_API_KEY") || set(env, "OPENAI_BASE_URL")) {
            ObjectNode openai = providers.putObject("openai").put("type", "openai");
            if (set(env, "OPENAI_BASE_URL")) {
                openai.put("base_url", env.get("OPENAI_BASE_URL"));
            }
            if (set(env, "OPENAI_API_KEY")) {
                openai.put("api_key", "env:OPENAI_API_KEY");
            }
        }
        if (set(env, "ANTHROPIC_API_KEY")) {
            ObjectNode anthropic = providers.putObject("anthropic").put("type", "anthropic")
                    .put("api_key", "env:ANTHROPIC_API_KEY");
            if (set(env, "ANTHROPIC_BASE_URL")) {
                anthropic.put("base_url", env.get("ANTHROPIC_BASE_URL"));
            }
        }
        if (set(env, "OLLAMA_BASE_URL")) {
            String url = env.get("OLLAMA_BASE_URL").replaceAll("/+$", "");
            providers.putObject("ollama").put("type", "ollama").put("base_url", url.endsWith("/v1") ? url : url + "/v1");
        }
        return root;
    }

    private static boolean set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
