package dev.fundament.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    @Test
    void eventsSplitAtEveryByteAreReassembled() {
        String stream = "event: message_start\ndata: {\"a\":\"Grüße\"}\n\n: comment\r\ndata: one\r\ndata: two\r\n\r\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        for (byte b : bytes) {
            events.addAll(decoder.feed(new byte[] {b}));
        }
        assertThat(events).containsExactly(
                new SseEvent("message_start", "{\"a\":\"Grüße\"}"),
                new SseEvent(null, "one\ntwo"),
                new SseEvent(null, "[DONE]"));
        assertThat(decoder.hasPartialEvent()).isFalse();
    }

    @Test
    void anUnfinishedEventIsHeldBack() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed("data: {\"x\":1}\ndata: par".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(decoder.hasPartialEvent()).isTrue();
        assertThat(decoder.feed("t\n\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new SseEvent(null, "{\"x\":1}\npart"));
    }
}
