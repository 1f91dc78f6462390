package dev.fundament.providers.anthropic;

import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Recorded Anthropic answers (in {@code fixtures/anthropic}, Anthropic's documented wire format) and
 * the chat requests the tests send.
 */
final class AnthropicFixtures {

    private AnthropicFixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = AnthropicFixtures.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture fixtures/anthropic/" + name + " on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static ChatRequest request(Message... messages) {
        return new ChatRequest("claude", List.of(messages), false, false, List.of(), null, null, null, null, null,
                null, List.of(), null, Map.of());
    }

    static ChatRequest withTools(List<ToolDefinition> tools, ToolChoice choice, Boolean parallel,
                                 ResponseFormat format, Message... messages) {
        return new ChatRequest("claude", List.of(messages), false, false, tools, choice, parallel, format, null, null,
                null, List.of(), null, Map.of());
    }
}
