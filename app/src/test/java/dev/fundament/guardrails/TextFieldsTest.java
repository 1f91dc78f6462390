package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import dev.fundament.inference.openai.OpenAiRequestReader;
import dev.fundament.inference.openai.OpenAiRequestWriter;
import dev.fundament.inference.openai.OpenAiResponseReader;
import dev.fundament.inference.openai.OpenAiResponseWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The walk over every text of a request and an answer. The guardrails once read message content
 * only, so tool-call arguments, tool descriptions, {@code metadata}, {@code user}, names, image URLs
 * and response-format schemas reached the model unread. Here every caller-supplied value carries a
 * marker {@code Z<n>}; after a rewrite of every visited field, what the upstream would receive (the
 * request as the provider writes it) and what the caller would receive must hold no marker at all.
 */
class TextFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("Z\\d+");

    static final String REQUEST = """
            {"model": "m",
             "messages": [
               {"role": "system", "content": "Z1 be brief", "name": "Z2"},
               {"role": "user", "name": "Z6", "x_note": "Z7", "content": [
                 {"type": "text", "text": "Z3"},
                 {"type": "image_url", "image_url": {"url": "https://img.example/Z4.png", "detail": "low"}},
                 {"type": "input_audio", "input_audio": {"data": "Z5", "format": "wav"}}]},
               {"role": "assistant", "content": null, "tool_calls": [
                 {"id": "call_Z8", "type": "function", "function": {"name": "lookup_Z9", "arguments": "{\\"q\\": \\"Z10\\"}"}}]},
               {"role": "tool", "tool_call_id": "call_Z8", "content": "Z11"}],
             "tools": [{"type": "function", "function": {"name": "lookup_Z9", "description": "Z12", "parameters": {
               "type": "object", "properties": {"q": {"type": "string", "description": "Z13", "enum": ["Z14"]},
               "Z15key": {"type": "string"}}}}}],
             "tool_choice": {"type": "function", "function": {"name": "lookup_Z9"}},
             "response_format": {"type": "json_schema", "json_schema": {"name": "Z16", "description": "Z17",
               "schema": {"type": "object", "properties": {"a": {"type": "string", "description": "Z18"}}}}},
             "stop": ["Z19"],
             "user": "Z20",
             "metadata": {"ticket": "Z21", "requester": "Z22"},
             "seed": 4242,
             "unknown_field": {"nested": [{"deep": "Z23"}]}}
            """;

    private static String unmark(String text) {
        return MARKER.matcher(text).replaceAll("R");
    }

    @Test
    void everyTextOfARequestIsVisitedAndRewritten() throws Exception {
        ChatRequest request = OpenAiRequestReader.chat(JSON.readTree(REQUEST));
        String before = new String(OpenAiRequestWriter.chat(request, "up", false), StandardCharsets.UTF_8);
        assertThat(MARKER.matcher(before).results().map(m -> m.group()).distinct().count()).isEqualTo(23);

        List<TextFields.Field> fields = TextFields.of(request);
        assertThat(fields).extracting(TextFields.Field::path).contains("messages[0].content", "messages[0].name",
                "messages[1].content[0].text", "messages[1].content[1].image_url.url", "messages[1].content[2].input_audio.data",
                "messages[1].x_note", "messages[2].tool_calls[0].function.arguments", "messages[3].content",
                "tools[0].function.description", "tools[0].function.parameters.properties.q.description",
                "tools[0].function.parameters.properties.Z15key", "response_format.json_schema.schema.properties.a.description",
                "stop[0]", "user", "metadata.requester", "unknown_field.nested[0].deep", "seed");
        assertThat(fields).filteredOn(f -> f.path().equals("messages[3].content")).singleElement()
                .satisfies(f -> assertThat(f.message()).isEqualTo(3));

        ChatRequest rewritten = TextFields.map(request, f -> {
            String out = unmark(f.text());
            return out.equals(f.text()) ? f.text() : out;
        });
        String after = new String(OpenAiRequestWriter.chat(rewritten, "up", false), StandardCharsets.UTF_8);
        assertThat(after).doesNotContainPattern(MARKER).contains("\"R be brief\"").contains("\"seed\":4242");
        assertThat(JSON.readTree(after).path("tools").path(0).path("function").path("parameters").path("properties").has("Rkey"))
                .isTrue();
    }

    @Test
    void aVisitorThatChangesNothingKeepsTheSameRequest() throws Exception {
        ChatRequest request = OpenAiRequestReader.chat(JSON.readTree(REQUEST));
        assertThat(TextFields.map(request, TextFields.Field::text)).isSameAs(request);
    }

    @Test
    void everyTextOfAnAnswerIsVisitedToolCallArgumentsIncluded() throws Exception {
        byte[] body = """
                {"id": "c1", "object": "chat.completion", "created": 1, "model": "m", "choices": [
                  {"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": "Z1",
                   "reasoning_content": "Z2", "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "send", "arguments": "{\\"to\\": \\"Z3\\"}"}}]}}],
                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                """.getBytes(StandardCharsets.UTF_8);
        ChatResult result = OpenAiResponseReader.result(body);
        assertThat(TextFields.of(result)).extracting(TextFields.Field::path).contains("choices[0].message.content",
                "choices[0].message.reasoning_content", "choices[0].message.tool_calls[0].function.arguments");
        ChatResult rewritten = TextFields.map(result, f -> {
            String out = unmark(f.text());
            return out.equals(f.text()) ? f.text() : out;
        });
        assertThat(new String(OpenAiResponseWriter.result(rewritten), StandardCharsets.UTF_8)).doesNotContainPattern(MARKER)
                .contains("{\\\"to\\\": \\\"R\\\"}");
    }
}
