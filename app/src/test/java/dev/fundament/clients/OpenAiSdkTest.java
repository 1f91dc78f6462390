package dev.fundament.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at Fundament, works as it does against OpenAI. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class OpenAiSdkTest {

    @TestHTTPResource("/v1")
    URL base;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY).maxRetries(0).build();
    }

    @Test
    void nonStreamingCompletion() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-sim").addUserMessage("Say hello").build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("sim-model");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.completionTokens()).isPositive();
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
    }

    @Test
    void streamingCompletionWithUsage() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-sim")
                .addUserMessage("Stream please")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        long[] usage = new long[1];
        String[] finish = new String[1];
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(text::append);
                    c.finishReason().ifPresent(f -> finish[0] = f.asString());
                });
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(text.toString()).isNotBlank();
        assertThat(finish[0]).isEqualTo("stop");
        assertThat(usage[0]).as("usage chunk requested with include_usage").isPositive();
    }

    @Test
    void toolCall() throws Exception {
        FunctionParameters parameters = FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                        "city", Map.of("type", "string"), "days", Map.of("type", "integer"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city", "days")))
                .build();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-sim").addUserMessage("Weather in Berlin for 3 days?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_forecast").parameters(parameters).build()).build())
                .build());

        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_forecast");
        assertThat(new ObjectMapper().readTree(call.function().arguments()).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("city", "days");
    }

    @Test
    void jsonObjectResponseFormat() throws Exception {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-sim").addUserMessage("Give JSON").responseFormat(ResponseFormatJsonObject.builder().build())
                .build());
        String content = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(new ObjectMapper().readTree(content).isObject()).isTrue();
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("embed-sim").input(EmbeddingCreateParams.Input.ofArrayOfStrings(List.of("one", "two"))).build());
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(0).embedding()).hasSize(1536);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.usage().promptTokens()).isPositive();
    }

    @Test
    void unknownModelRaisesNotFound() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("no-such-model").addUserMessage("Hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("no-such-model");
                });
    }
}
