package dev.fundament.providers.openai;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.inference.openai.OpenAiRequestWriter;
import dev.fundament.inference.openai.OpenAiResponseReader;
import dev.fundament.providers.EmbeddingProvider;
import dev.fundament.providers.http.UpstreamHttp;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.IOException;

/** Embeddings against an OpenAI-compatible server; vectors are always fetched as floats. */
final class OpenAiEmbeddingProvider implements EmbeddingProvider {

    private final UpstreamHttp http;
    private final OpenAiEndpoints endpoints;

    OpenAiEmbeddingProvider(UpstreamHttp http, OpenAiEndpoints endpoints) {
        this.http = http;
        this.endpoints = endpoints;
    }

    @Override
    public Uni<EmbeddingResult> embed(String upstreamModel, EmbeddingRequest request) {
        Buffer body = Buffer.buffer(OpenAiRequestWriter.embedding(request, endpoints.bodyModel(upstreamModel)));
        return http.postForBody(endpoints.embeddingsPath(upstreamModel), endpoints.headers(), body)
                .onItem().transform(bytes -> {
                    try {
                        return OpenAiResponseReader.embeddings(bytes.getBytes());
                    } catch (IOException e) {
                        throw new GatewayException(ErrorKind.UPSTREAM_INVALID_RESPONSE, "Provider '" + http.provider()
                                + "' sent an answer that is not a valid embedding list: " + e.getMessage());
                    }
                });
    }
}
