package dev.fundament.config;

/** What a public model name serves: {@code /v1/chat/completions} or {@code /v1/embeddings}. */
public enum ModelKind implements WireName {
    CHAT("chat"), EMBEDDING("embedding");

    private final String wire;

    ModelKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
