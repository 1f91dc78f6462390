package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.DataSize;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Input scans are reused for the exact same text and detectors only, and never when they failed. */
class ScanCacheTest {

    /** Finds "secret" wherever it occurs, counting its runs. */
    static final class Counting implements Detector {
        final AtomicInteger runs = new AtomicInteger();
        volatile boolean broken;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public Set<Category> categories() {
            return Set.of(Category.SECRET);
        }

        @Override
        public void detect(String text, List<Finding> out) {
            runs.incrementAndGet();
            if (broken) {
                throw new IllegalStateException("broken");
            }
            for (int at = text.indexOf("secret"); at >= 0; at = text.indexOf("secret", at + 1)) {
                out.add(new Finding(Category.SECRET, name(), at, at + 6, 1.0));
            }
        }
    }

    private static Detectors detectors(long cacheBytes) {
        return new Detectors(new GuardrailsSpec(null, null, null, null, null, new DataSize(cacheBytes)));
    }

    @Test
    void theSameTextIsScannedOnce() {
        Detectors registry = detectors(1 << 20);
        Counting d = new Counting();
        String history = "Earlier turn of the conversation with a secret in it. ".repeat(10);
        List<Finding> first = registry.scan(history, List.of(d));
        List<Finding> again = registry.scan(new String(history.toCharArray()), List.of(d));
        assertThat(again).isEqualTo(first).hasSize(10);
        assertThat(d.runs).hasValue(1);

        registry.scan(history + "!", List.of(d));
        assertThat(d.runs).as("another text is scanned").hasValue(2);
        Counting other = new Counting();
        registry.scan(history, List.of(other));
        assertThat(other.runs).as("other detectors scan for themselves").hasValue(1);
        registry.scan("short secret", List.of(d));
        registry.scan("short secret", List.of(d));
        assertThat(d.runs).as("short texts are cheap and not kept").hasValue(4);
    }

    @Test
    void aFailedScanIsNotKeptAndACacheOfZeroIsOff() {
        Detectors registry = detectors(1 << 20);
        Counting d = new Counting();
        String text = "x".repeat(300) + " secret";
        d.broken = true;
        assertThatThrownBy(() -> registry.scan(text, List.of(d))).isInstanceOf(Scanner.GuardrailFailure.class);
        d.broken = false;
        assertThat(registry.scan(text, List.of(d))).hasSize(1);
        assertThat(d.runs).hasValue(2);

        Detectors off = detectors(0);
        Counting e = new Counting();
        off.scan(text, List.of(e));
        off.scan(text, List.of(e));
        assertThat(e.runs).hasValue(2);
    }
}
