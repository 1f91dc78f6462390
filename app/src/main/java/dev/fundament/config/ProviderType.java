package dev.fundament.config;

/**
 * The kinds of provider. {@code vllm}, {@code ollama} and {@code lmstudio} speak the OpenAI API and
 * differ from {@code openai} only in their default base URL and in needing no key.
 */
public enum ProviderType implements WireName {
    OPENAI("openai", "https://api.openai.com/v1"),
    AZURE_OPENAI("azure-openai", null),
    ANTHROPIC("anthropic", "https://api.anthropic.com"),
    VLLM("vllm", "http://127.0.0.1:8000/v1"),
    OLLAMA("ollama", "http://127.0.0.1:11434/v1"),
    LMSTUDIO("lmstudio", "http://127.0.0.1:1234/v1"),
    LOCAL("local", null);

    private final String wire;
    private final String defaultBaseUrl;

    ProviderType(String wire, String defaultBaseUrl) {
        this.wire = wire;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** @return the base URL used when {@code base_url} is not set, or {@code null} when it is required */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** @return whether the provider speaks the OpenAI chat and embeddings API */
    public boolean openAiCompatible() {
        return this == OPENAI || this == AZURE_OPENAI || this == VLLM || this == OLLAMA || this == LMSTUDIO;
    }
}
