package dev.fundament.config;

import java.util.Map;

/**
 * A validated configuration, ready to be compiled into the gateway's runtime.
 *
 * @param source  where it came from: a file path, or {@code built-in defaults}
 * @param hash    SHA-256 (hex) of the configuration's canonical form, stamped on records that later
 *                capabilities (audit, usage) write; secret references are hashed, never their values
 * @param apiKeys resolved credentials by provider name; never logged
 * @param storagePassword the resolved database password, or {@code null}; never logged
 */
public record LoadedConfig(FundamentSpec spec, String source, String hash, Map<String, String> apiKeys,
                           String storagePassword) {

    public LoadedConfig {
        apiKeys = Map.copyOf(apiKeys);
    }

    @Override
    public String toString() {
        return "LoadedConfig[source=" + source + ", hash=" + hash + ", providers=" + spec.providers().keySet()
                + ", models=" + spec.models().keySet() + "]";
    }
}
