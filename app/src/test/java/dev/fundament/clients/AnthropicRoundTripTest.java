package dev.fundament.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI SDK talks to Claude through Fundament: requests become Anthropic Messages API calls and
 * recorded Anthropic answers (fixtures/anthropic) come back as OpenAI completions and chunks.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class AnthropicRoundTripTest {

    @TestHTTPResource("/v1")
    URL base;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey(Upstreams.ADMIN_KEY).maxRetries(0).build();
    }

    @Test
    void completion() throws Exception {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addSystemMessage("You are terse.").addUserMessage("Hello").maxCompletionTokens(300).build());

        assertThat(completion.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(completion.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(completion.choices().getFirst().message().content()).hasValue("Hello! How can I help you today?");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);
        assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).hasValue(2048L);

        JsonNode sent = new ObjectMapper().readTree(Upstreams.anthropicLastBody);
        assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.get("system").toString()).contains("You are terse.");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(Upstreams.anthropicLastKey).isEqualTo("test-anthropic-key");
    }

    @Test
    void streaming() {
        StringBuilder text = new StringBuilder();
        String[] finish = new String[1];
        long[] output = new long[1];
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("claude").addUserMessage("Hello")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(text::append);
                    c.finishReason().ifPresent(f -> finish[0] = f.asString());
                });
                chunk.usage().ifPresent(u -> output[0] = u.completionTokens());
            });
        }
        assertThat(text.toString()).isEqualTo("Hello, Grüße!");
        assertThat(finish[0]).isEqualTo("stop");
        assertThat(output[0]).isEqualTo(15);
    }

    @Test
    void toolUse() throws Exception {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("claude").addUserMessage("Weather in San Francisco?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                                .build()).build()).build())
                .build());

        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow()
                .getFirst().asFunction();
        assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(new ObjectMapper().readTree(call.function().arguments()).get("location").asText())
                .isEqualTo("San Francisco, CA");
        JsonNode sent = new ObjectMapper().readTree(Upstreams.anthropicLastBody);
        assertThat(sent.at("/tools/0/name").asText()).isEqualTo("get_weather");
        assertThat(sent.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
    }
}
