package dev.fundament.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.testing.Upstreams;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI chat and embedding models, pointed at Fundament. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class LangChain4jTest {

    @TestHTTPResource("/v1")
    URL base;

    @Test
    void chat() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY).modelName("gpt-sim")
                .maxRetries(0).build();
        assertThat(model.chat("Hello there")).isNotBlank();
    }

    @Test
    void streaming() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY)
                .modelName("gpt-sim").build();
        StringBuilder partial = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Stream something", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String token) {
                partial.append(token);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(20, TimeUnit.SECONDS);
        assertThat(partial.toString()).isNotBlank();
        assertThat(response.aiMessage().text()).isEqualTo(partial.toString());
    }

    @Test
    void tools() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY).modelName("gpt-sim")
                .maxRetries(0).build();
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Look up order 42"))
                .toolSpecifications(ToolSpecification.builder().name("find_order").description("Finds an order")
                        .parameters(JsonObjectSchema.builder().addIntegerProperty("order_id").required("order_id").build())
                        .build())
                .build());
        assertThat(response.aiMessage().hasToolExecutionRequests()).isTrue();
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(call.name()).isEqualTo("find_order");
        assertThat(call.arguments()).contains("\"order_id\"");
    }

    @Test
    void embeddings() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY)
                .modelName("embed-sim").maxRetries(0).build();
        Embedding embedding = model.embed("A sentence").content();
        assertThat(embedding.vector()).hasSize(1536);
    }

    @Test
    void errorSurfacesAsException() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY).modelName("missing-model")
                .maxRetries(0).build();
        assertThatThrownBy(() -> model.chat("Hi")).hasMessageContaining("missing-model");
    }
}
