package dev.fundament.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import dev.fundament.inference.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamUsageTest {

    private static ChatRequest request(boolean includeUsage) {
        return new ChatRequest("m", List.of(Message.text(Role.USER, "x".repeat(40))), true, includeUsage, List.of(),
                null, null, null, null, null, null, List.of(), null, Map.of());
    }

    private static ChatChunk text(String content) {
        return new ChatChunk("id", 1, "m", List.of(new ChatChunk.Delta(0, null, content, List.of(), null, Map.of())),
                null, Map.of());
    }

    @Test
    void reportedUsageWinsAndIsHiddenUnlessAsked() {
        StreamUsage usage = new StreamUsage(request(false));
        ChatChunk report = new ChatChunk("id", 1, "m", List.of(), new Usage(10, 3, 0, 0, false), Map.of());
        usage.observe(text("hello"));
        usage.observe(report);
        assertThat(usage.forCaller(report)).isFalse();
        assertThat(usage.total()).isEqualTo(new Usage(10, 3, 0, 0, false));
        assertThat(usage.closingChunk()).isNull();
    }

    @Test
    void missingUsageIsCountedAndSynthesizedWhenAsked() {
        StreamUsage usage = new StreamUsage(request(true));
        usage.observe(text("12345678"));
        Usage total = usage.total();
        assertThat(total.estimated()).isTrue();
        assertThat(total.inputTokens()).isEqualTo(10);
        assertThat(total.outputTokens()).isEqualTo(2);
        assertThat(usage.closingChunk().usage()).isEqualTo(total);
        assertThat(usage.closingChunk().choices()).isEmpty();
    }
}
