package dev.fundament.config;

import java.util.Map;

/**
 * A validated configuration, ready to be compiled into the runtime.
 *
 * @param source  where it came from: a file path, or {@code built-in defaults}
 * @param hash    SHA-256 (hex) of the configuration's canonical form, stamped on records that later
 *                capabilities (audit, usage) write; secret references are hashed, never their values
 * @param secrets resolved secret references by YAML path ({@code providers.openai.api_key}); never logged
 */
public record LoadedConfig(FundamentSpec spec, String source, String hash, Map<String, String> secrets) {

    public LoadedConfig {
        secrets = Map.copyOf(secrets);
    }

    /** @return the provider's resolved credential, or {@code null} */
    public String apiKey(String provider) {
        return secrets.get("providers." + provider + ".api_key");
    }

    /** @return the resolved database password, or {@code null} */
    public String storagePassword() {
        return secrets.get("storage.password");
    }

    /** @return the resolved value of a secret at a YAML path, or {@code null} */
    public String secret(String path) {
        return secrets.get(path);
    }

    @Override
    public String toString() {
        return "LoadedConfig[source=" + source + ", hash=" + hash + ", providers=" + spec.providers().keySet()
                + ", models=" + spec.models().keySet() + "]";
    }
}
