package dev.fundament.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the SSE decoder: whatever bytes an upstream sends, and however the
 * network splits them, the decoder yields the same events and never throws.
 */
class SseDecoderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void theSameBytesGiveTheSameEventsHoweverTheyAreSplit(FuzzedDataProvider data) {
        int pieces = data.consumeInt(0, 8);
        int[] cuts = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        List<SseEvent> whole = new SseDecoder().feed(stream);
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> split = new ArrayList<>();
        Arrays.sort(cuts);
        int from = 0;
        for (int cut : cuts) {
            int to = Math.max(from, Math.min(cut, stream.length));
            split.addAll(decoder.feed(Arrays.copyOfRange(stream, from, to)));
            from = to;
        }
        split.addAll(decoder.feed(Arrays.copyOfRange(stream, from, stream.length)));
        assertThat(split).containsExactlyElementsOf(whole);
    }
}
