package dev.fundament.providers.anthropic;

import dev.fundament.providers.ChatProvider;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.Provider;
import dev.fundament.providers.http.UpstreamHttp;
import java.util.Optional;

/**
 * One configured Anthropic provider: chat only, as Anthropic offers no embeddings. Owns the provider's
 * {@link UpstreamHttp} connection pool and closes it with itself.
 */
final class AnthropicProvider implements Provider {

    private final String name;
    private final UpstreamHttp http;
    private final AnthropicChatProvider chat;

    AnthropicProvider(String name, UpstreamHttp http, AnthropicChatProvider chat) {
        this.name = name;
        this.http = http;
        this.chat = chat;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ChatProvider> chat() {
        return Optional.of(chat);
    }

    @Override
    public Optional<EmbeddingProvider> embeddings() {
        return Optional.empty();
    }

    @Override
    public io.smallrye.mutiny.Uni<Void> probe(String path, java.time.Duration timeout) {
        return http.probe(path, chat.headers(), timeout);
    }

    @Override
    public void close() {
        http.close();
    }
}
