package dev.fundament.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatChunk.ToolCallDelta;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Role;
import dev.fundament.inference.Usage;
import dev.fundament.providers.http.SseDecoder;
import dev.fundament.providers.http.SseEvent;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recorded event streams through {@link SseDecoder} and {@link AnthropicStreamParser}, fed in 7-byte
 * reads so events and multi-byte characters are split the way a network splits them.
 */
class AnthropicStreamParserTest {

    private static final long CREATED = 1_700_000_000L;

    @Test
    void aTextAnswerBecomesRoleContentFinishAndUsageChunks() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        List<ChatChunk> chunks = feed(parser, "stream-text.sse");

        assertThat(chunks).hasSize(5);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.id()).isEqualTo("msg_01StreamText");
            assertThat(c.model()).isEqualTo("claude-sonnet-4-5-20250929");
            assertThat(c.created()).isEqualTo(CREATED);
        });
        assertThat(chunks.get(0).choices()).containsExactly(delta(Role.ASSISTANT, "", List.of(), null));
        assertThat(chunks.get(1).choices()).containsExactly(delta(null, "Hello", List.of(), null));
        assertThat(chunks.get(2).choices()).containsExactly(delta(null, ", Grüße!", List.of(), null));
        assertThat(chunks.get(3).choices()).containsExactly(delta(null, null, List.of(), FinishReason.STOP));
        assertThat(chunks.get(3).usage()).isNull();
        assertThat(chunks.get(4).choices()).isEmpty();
        assertThat(chunks.get(4).usage()).as("input 25 + 1024 cache reads; output from message_delta")
                .isEqualTo(new Usage(1049, 15, 1024, 0, false));
        assertThat(parser.complete()).isTrue();
    }

    @Test
    void toolUseStreamsToolCallDeltasIndexedFromZero() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        List<ChatChunk> chunks = feed(parser, "stream-tool-use.sse");

        List<ChatChunk.Delta> deltas = chunks.stream().flatMap(c -> c.choices().stream()).toList();
        assertThat(deltas).as("thinking, signature and empty partial_json yield nothing").containsExactly(
                delta(Role.ASSISTANT, "", List.of(), null),
                delta(null, "Let me check.", List.of(), null),
                delta(null, null, List.of(new ToolCallDelta(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "")), null),
                delta(null, null, List.of(new ToolCallDelta(0, null, null, "{\"location\":")), null),
                delta(null, null, List.of(new ToolCallDelta(0, null, null, " \"San Francisco, CA\"")), null),
                delta(null, null, List.of(new ToolCallDelta(0, null, null, "}")), null),
                delta(null, null, List.of(new ToolCallDelta(1, "toolu_01Second", "get_time", "")), null),
                delta(null, null, List.of(new ToolCallDelta(1, null, null, "{\"zone\": \"PST\"}")), null),
                delta(null, null, List.of(), FinishReason.TOOL_CALLS));
        assertThat(chunks.getLast().usage()).isEqualTo(new Usage(472, 89, 0, 0, false));
    }

    @Test
    void theJsonSchemaToolStreamsAsAnswerText() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", "city_facts", CREATED);
        List<ChatChunk> chunks = feed(parser, "stream-json-schema.sse");

        List<ChatChunk.Delta> deltas = chunks.stream().flatMap(c -> c.choices().stream()).toList();
        assertThat(deltas).containsExactly(
                delta(Role.ASSISTANT, "", List.of(), null),
                delta(null, "{\"city\": \"Par", List.of(), null),
                delta(null, "is\"}", List.of(), null),
                delta(null, null, List.of(), FinishReason.STOP));
        assertThat(chunks.getLast().usage()).isEqualTo(new Usage(310, 12, 0, 0, false));
    }

    @Test
    void anErrorEventAfterTheFirstChunkInterruptsTheStream() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        List<ChatChunk> chunks = new ArrayList<>();

        assertThatThrownBy(() -> feed(parser, AnthropicFixtures.bytes("stream-error.sse"), chunks))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED);
                    assertThat(e.getMessage()).contains("'claude'", "overloaded_error", "Overloaded");
                });
        assertThat(chunks).extracting(c -> c.choices().getFirst().content()).containsExactly("", "The answer is");
    }

    @Test
    void anErrorEventBeforeAnyChunkKeepsItsKindSoTheRouteMayFallBack() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        List<ChatChunk> chunks = new ArrayList<>();

        assertThatThrownBy(() -> feed(parser, AnthropicFixtures.bytes("stream-error-first.sse"), chunks))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_RATE_LIMITED));
        assertThat(chunks).isEmpty();
    }

    @Test
    void aStreamWithoutMessageStopIsIncomplete() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        List<ChatChunk> chunks = feed(parser, "stream-truncated.sse");

        assertThat(chunks).extracting(c -> c.choices().getFirst().content()).containsExactly("", "Partial");
        assertThat(parser.complete()).isFalse();
        assertThat(parser.truncated().kind()).isEqualTo(ErrorKind.STREAM_INTERRUPTED);
        assertThat(parser.truncated().getMessage()).contains("'claude'", "message_stop");
    }

    @Test
    void transportFailuresAreInterruptionsOnlyAfterTheFirstChunk() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        assertThat(parser.failure(new ConnectException("refused")).kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(parser.truncated().kind()).isEqualTo(ErrorKind.UPSTREAM_INVALID_RESPONSE);

        feed(parser, "stream-truncated.sse");
        assertThat(parser.failure(new HttpClosedException("closed")).kind())
                .isEqualTo(ErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void anEventThatIsNotJsonIsAnInvalidResponse() {
        AnthropicStreamParser parser = new AnthropicStreamParser("claude", null, CREATED);
        assertThatThrownBy(() -> parser.accept(new SseEvent("message_start", "{not json")))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_INVALID_RESPONSE));
    }

    private static List<ChatChunk> feed(AnthropicStreamParser parser, String fixture) {
        List<ChatChunk> chunks = new ArrayList<>();
        feed(parser, AnthropicFixtures.bytes(fixture), chunks);
        return chunks;
    }

    private static void feed(AnthropicStreamParser parser, byte[] stream, List<ChatChunk> chunks) {
        SseDecoder decoder = new SseDecoder();
        for (int i = 0; i < stream.length; i += 7) {
            for (SseEvent event : decoder.feed(Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 7)))) {
                chunks.addAll(parser.accept(event));
            }
        }
    }

    private static ChatChunk.Delta delta(Role role, String content, List<ToolCallDelta> calls, FinishReason finish) {
        return new ChatChunk.Delta(0, role, content, calls, finish, Map.of());
    }
}
