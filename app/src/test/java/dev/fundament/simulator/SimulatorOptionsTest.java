package dev.fundament.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./fundament simulate}'s flags: defaults, every form, and messages that name what was wrong. */
class SimulatorOptionsTest {

    private static SimulatorOptions parse(String line) {
        return SimulatorOptions.parse(line.isBlank() ? new String[0] : line.trim().split("\\s+"));
    }

    @Test
    void defaults() {
        SimulatorOptions o = parse("");
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(9000);
        assertThat(o.ttft()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.tokensPerSecond()).isEqualTo(50.0);
        assertThat(o.outputTokens()).isEqualTo(new OutputLength(20, 200));
        assertThat(o.errorRate()).isZero();
        assertThat(o.rateLimitRate()).isZero();
        assertThat(o.failAfterChunks()).isNull();
        assertThat(o.seed()).isNull();
        assertThat(o.embeddingDimensions()).isEqualTo(1536);
        assertThat(o).isEqualTo(SimulatorOptions.defaults());
    }

    @Test
    void everyFlag() {
        SimulatorOptions o = parse("--port 0 --host 0.0.0.0 --ttft 1s --tokens-per-second 12.5 --output-tokens uniform:3-9"
                + " --error-rate 0.01 --rate-limit-rate 0.02 --fail-after-chunks 4 --stall-after-chunks 6 --seed 42 --embedding-dimensions 256");
        assertThat(o).isEqualTo(new SimulatorOptions("0.0.0.0", 0, Duration.ofSeconds(1), 12.5, new OutputLength(3, 9),
                0.01, 0.02, 4, 6, 42L, 256));
    }

    @Test
    void flagEqualsValueFormAndLastOneWins() {
        SimulatorOptions o = parse("--port=9100 --seed=-3 --port 9101");
        assertThat(o.port()).isEqualTo(9101);
        assertThat(o.seed()).isEqualTo(-3L);
    }

    @ParameterizedTest
    @CsvSource({"200ms, 200", "1s, 1000", "1.5s, 1500", "0, 0", "0ms, 0", "2m, 120000", "0.5ms, 0"})
    void durations(String text, long millis) {
        assertThat(parse("--ttft " + text).ttft().toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"7, 7, 7", "fixed:2000, 2000, 2000", "uniform:20-200, 20, 200", "uniform:5-5, 5, 5"})
    void outputLengths(String text, int min, int max) {
        assertThat(parse("--output-tokens " + text).outputTokens()).isEqualTo(new OutputLength(min, max));
    }

    @Test
    void outputLengthDrawsWithinBoundsAndPrintsAsParsed() {
        OutputLength length = OutputLength.parse("uniform:3-5");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(length.draw(random)).isBetween(3, 5);
        }
        assertThat(length).hasToString("uniform:3-5");
        assertThat(OutputLength.parse("9")).hasToString("fixed:9");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--ttft fast            | --ttft expects a duration such as 200ms",
        "--ttft 200             | --ttft expects a duration",
        "--ttft -1s             | --ttft expects a duration",
        "--port 70000           | --port expects a number from 0 to 65535",
        "--port abc             | --port expects a number from 0 to 65535, got 'abc'",
        "--tokens-per-second -1 | --tokens-per-second expects a number of zero or more",
        "--output-tokens 9-3    | --output-tokens expects N, fixed:N or uniform:A-B",
        "--output-tokens uniform:9-3 | --output-tokens expects N, fixed:N or uniform:A-B",
        "--output-tokens fixed:0 | --output-tokens expects",
        "--error-rate 1.5       | --error-rate expects a fraction from 0 to 1",
        "--rate-limit-rate x    | --rate-limit-rate expects a fraction from 0 to 1, got 'x'",
        "--fail-after-chunks -2 | --fail-after-chunks expects a number of zero or more",
        "--seed 1.5             | --seed expects a whole number",
        "--embedding-dimensions 0 | --embedding-dimensions expects a number from 1",
        "--colour blue          | Unknown option '--colour'",
        "--port                 | Option --port needs a value",
        "--seed --port 1        | Option --seed needs a value",
    })
    void badFlagsNameTheFlagAndTheExpectedForm(String line, String message) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void summaryNamesTheBehaviour() {
        assertThat(parse("--tokens-per-second 0 --fail-after-chunks 3 --seed 9").summary())
                .contains("ttft 200ms", "all tokens at once", "uniform:20-200", "fail after 3 chunks", "seed 9");
    }
}
