package dev.fundament.providers.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The package's one Jackson mapper, shared by the request mapper, the response mapper and the stream
 * parser. Thread-safe because it is never reconfigured after construction.
 */
final class AnthropicJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private AnthropicJson() {
    }
}
