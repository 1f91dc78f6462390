package dev.fundament.providers.anthropic;

import static dev.fundament.providers.anthropic.AnthropicFixtures.request;
import static dev.fundament.providers.anthropic.AnthropicFixtures.withTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.inference.ResponseFormat;
import dev.fundament.inference.Role;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.ToolChoice;
import dev.fundament.inference.ToolDefinition;
import dev.fundament.inference.Usage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request mapping ({@link AnthropicRequestMapper}, {@link AnthropicToolMapper}) and its reverse. */
class AnthropicMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Current weather",
            (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}"), null);
    private static final ToolDefinition TIME = new ToolDefinition("get_time", null, null, null);
    private static final ResponseFormat.JsonSchema CITY = new ResponseFormat.JsonSchema("city_facts", "Facts about a city",
            (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"), true);

    @Test
    void systemAndDeveloperMessagesBecomeTheTopLevelSystemAndMaxTokensDefaults() {
        JsonNode body = body(request(Message.text(Role.SYSTEM, "You are terse."), Message.text(Role.USER, "Hi"),
                Message.text(Role.DEVELOPER, "Answer in French.")));

        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.path("system").asText()).isEqualTo("You are terse.\n\nAnswer in French.");
        assertThat(body.path("max_tokens").asInt()).as("spec.defaultMaxTokens when the request sets none").isEqualTo(4096);
        assertThat(body.path("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]"));
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
    }

    @Test
    void samplingParametersStopSequencesAndUserAreTranslated() {
        ChatRequest request = new ChatRequest("claude", List.of(Message.text(Role.USER, "Hi")), true, true, List.of(),
                null, null, null, 256, 0.2, 0.9, List.of("END", "STOP"), "user-42", Map.of());
        JsonNode body = json(AnthropicRequestMapper.map(request, "claude-haiku-4-5", 4096, true).body());

        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop_sequences")).isEqualTo(json("[\"END\",\"STOP\"]"));
        assertThat(body.path("metadata")).isEqualTo(json("{\"user_id\":\"user-42\"}"));
        assertThat(body.path("stream").asBoolean()).isTrue();
    }

    @Test
    void toolCallsAndToolResultsMakeAValidAnthropicConversation() {
        Message assistant = new Message(Role.ASSISTANT, List.of(new ContentPart.Text("Checking.")), true, null,
                List.of(new ToolCall("call_1", "get_weather", "{\"location\":\"Paris\"}"),
                        new ToolCall("call_2", "get_time", "not json")), null, Map.of());
        Message result1 = new Message(Role.TOOL, List.of(new ContentPart.Text("18°C")), true, null, List.of(), "call_1", Map.of());
        Message result2 = new Message(Role.TOOL, List.of(new ContentPart.Text("09:30")), true, null, List.of(), "call_2", Map.of());
        JsonNode body = body(withTools(List.of(WEATHER, TIME), ToolChoice.Mode.AUTO, false, null,
                Message.text(Role.USER, "Weather and time in Paris?"), assistant, result1, result2,
                Message.text(Role.USER, "Thanks, and tomorrow?")));

        assertThat(body.path("tools")).isEqualTo(json("[{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}},"
                + "{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"}}]"));
        assertThat(body.path("tool_choice")).isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        JsonNode messages = body.path("messages");
        assertThat(messages.size()).as("user, assistant, then one user message with both results and the text").isEqualTo(3);
        assertThat(messages.get(1)).isEqualTo(json("{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"Checking.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"call_2\",\"name\":\"get_time\",\"input\":{}}]}"));
        assertThat(messages.get(2)).isEqualTo(json("{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"18°C\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"call_2\",\"content\":\"09:30\"},"
                + "{\"type\":\"text\",\"text\":\"Thanks, and tomorrow?\"}]}"));
    }

    @Test
    void toolChoiceModesMapToAnthropicTypes() {
        Message hi = Message.text(Role.USER, "Hi");
        assertThat(body(withTools(List.of(WEATHER), ToolChoice.Mode.REQUIRED, null, null, hi)).path("tool_choice"))
                .isEqualTo(json("{\"type\":\"any\"}"));
        assertThat(body(withTools(List.of(WEATHER), ToolChoice.Mode.NONE, false, null, hi)).path("tool_choice"))
                .as("type none takes no disable_parallel_tool_use").isEqualTo(json("{\"type\":\"none\"}"));
        assertThat(body(withTools(List.of(WEATHER), new ToolChoice.Function("get_weather"), null, null, hi)).path("tool_choice"))
                .isEqualTo(json("{\"type\":\"tool\",\"name\":\"get_weather\"}"));
        assertThat(body(withTools(List.of(), ToolChoice.Mode.REQUIRED, null, null, hi)).has("tool_choice"))
                .as("no tool_choice without tools").isFalse();
    }

    @Test
    void imagePartsBecomeBase64OrUrlImageBlocks() {
        Message user = new Message(Role.USER, List.of(new ContentPart.Text("Compare these."),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", "high"),
                new ContentPart.Image("https://example.com/cat.jpg", null)), false, null, List.of(), null, Map.of());
        JsonNode content = body(request(user)).path("messages").get(0).path("content");

        assertThat(content).isEqualTo(json("[{\"type\":\"text\",\"text\":\"Compare these.\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}}]"));
    }

    @Test
    void unusableContentIsRejectedWithThePathOfThePart() {
        Message ftp = new Message(Role.USER, List.of(new ContentPart.Text("See"), new ContentPart.Image("ftp://host/a.png", null)),
                false, null, List.of(), null, Map.of());
        assertThatThrownBy(() -> body(request(Message.text(Role.USER, "Hi"), ftp)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("messages[1].content[1].image_url.url");
                });
        Message audio = new Message(Role.USER, List.of(new ContentPart.Other("input_audio", JSON.createObjectNode())),
                false, null, List.of(), null, Map.of());
        assertThatThrownBy(() -> body(request(audio)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED_PARAMETER);
                    assertThat(e.param()).isEqualTo("messages[0].content[0]");
                    assertThat(e.getMessage()).contains("'input_audio'");
                });
    }

    @Test
    void consecutiveMessagesOfOneRoleAreMergedAndBlankTextDropped() {
        JsonNode messages = body(request(Message.text(Role.USER, "One"), Message.text(Role.SYSTEM, "Be kind."),
                Message.text(Role.USER, "Two"), Message.text(Role.ASSISTANT, "Three"), Message.text(Role.ASSISTANT, "  "),
                Message.text(Role.ASSISTANT, "Four"))).path("messages");

        assertThat(messages).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"One\"},"
                + "{\"type\":\"text\",\"text\":\"Two\"}]},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"Three\"},{\"type\":\"text\",\"text\":\"Four\"}]}]"));
    }

    @Test
    void jsonSchemaIsEmulatedWithAForcedToolAndJsonObjectWithAnInstruction() {
        Message hi = Message.text(Role.USER, "Tell me about Paris");
        AnthropicRequestMapper.Mapped mapped = AnthropicRequestMapper.map(withTools(List.of(), null, null, CITY, hi),
                "claude-haiku-4-5", 4096, false);
        JsonNode body = json(mapped.body());

        assertThat(mapped.schemaTool()).isEqualTo("city_facts");
        assertThat(body.path("tools").get(0).path("name").asText()).isEqualTo("city_facts");
        assertThat(body.path("tools").get(0).path("input_schema")).isEqualTo(CITY.schema());
        assertThat(body.path("tools").get(0).path("description").asText()).startsWith("Facts about a city\n\n");
        assertThat(body.path("tool_choice")).isEqualTo(json("{\"type\":\"tool\",\"name\":\"city_facts\"}"));

        JsonNode withCallerTools = body(withTools(List.of(WEATHER), null, null, CITY, hi));
        assertThat(withCallerTools.path("tool_choice")).as("the caller's tools stay callable")
                .isEqualTo(json("{\"type\":\"any\"}"));
        assertThat(withCallerTools.path("tools").size()).isEqualTo(2);

        JsonNode jsonObject = body(withTools(List.of(), null, null, new ResponseFormat.JsonObject(),
                Message.text(Role.SYSTEM, "You know geography."), hi));
        assertThat(jsonObject.path("system").asText())
                .isEqualTo("You know geography.\n\n" + AnthropicRequestMapper.JSON_OBJECT_INSTRUCTION);
        assertThat(jsonObject.has("tools")).isFalse();
    }

    @Test
    void aTextAnswerIsJoinedAndCachedTokensCountAsInput() throws IOException {
        ChatResult result = AnthropicResponseMapper.result(AnthropicFixtures.bytes("message-text.json"), null, 1_700_000_000L);

        assertThat(result.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(result.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(result.created()).isEqualTo(1_700_000_000L);
        ChatResult.Choice choice = result.choices().getFirst();
        assertThat(choice.message().role()).isEqualTo(Role.ASSISTANT);
        assertThat(choice.message().text()).isEqualTo("Hello! How can I help you today?");
        assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(result.usage()).as("input = 12 + 2048 cache reads + 100 cache writes")
                .isEqualTo(new Usage(2160, 9, 2048, 0, false));
    }

    @Test
    void toolUseBecomesToolCallsWithJsonArguments() throws IOException {
        ChatResult result = AnthropicResponseMapper.result(AnthropicFixtures.bytes("message-tool-use.json"), null, 1L);
        ChatResult.Choice choice = result.choices().getFirst();

        assertThat(choice.message().text()).as("thinking is dropped").isEqualTo("I'll check the weather in San Francisco.");
        assertThat(choice.message().toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9",
                "get_weather", "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
        assertThat(choice.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(result.usage()).isEqualTo(new Usage(472, 91, 0, 0, false));
    }

    @Test
    void theJsonSchemaToolAnswerBecomesTextWithFinishReasonStop() throws IOException {
        ChatResult result = AnthropicResponseMapper.result(AnthropicFixtures.bytes("message-json-schema.json"),
                "city_facts", 1L);
        ChatResult.Choice choice = result.choices().getFirst();

        assertThat(choice.message().text()).isEqualTo("{\"city\":\"Paris\",\"population\":2102650}");
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void stopReasonsMapToOpenAiFinishReasons() throws IOException {
        assertThat(AnthropicResponseMapper.result(AnthropicFixtures.bytes("message-max-tokens.json"), null, 1L)
                .choices().getFirst().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(AnthropicResponseMapper.finishReason("end_turn", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseMapper.finishReason("stop_sequence", false)).isEqualTo(FinishReason.STOP);
        assertThat(AnthropicResponseMapper.finishReason("tool_use", true)).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(AnthropicResponseMapper.finishReason("refusal", false)).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(AnthropicResponseMapper.finishReason(null, false)).isNull();
    }

    @Test
    void aBodyThatIsNoMessageIsRejected() {
        assertThatThrownBy(() -> AnthropicResponseMapper.result("{\"type\":\"message\"}".getBytes(), null, 1L))
                .isInstanceOf(IOException.class).hasMessageContaining("'content'");
    }

    private static JsonNode body(ChatRequest request) {
        return json(AnthropicRequestMapper.map(request, "claude-sonnet-4-5", 4096, false).body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
