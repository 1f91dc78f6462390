package dev.fundament;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: a broken configuration is reported by path with exit code 2 and no stack trace. */
class FundamentMainTest {

    @TempDir
    Path dir;

    @Test
    void brokenConfigurationListsEveryProblemWithoutAStackTrace() throws Exception {
        Path file = dir.resolve("fundament.yaml");
        Files.writeString(file, """
                providers:
                  gpu:
                    type: vllm
                    max_connections: 0
                models:
                  chat:
                    provider: gpu-typo
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = FundamentMain.check(new String[] {"--config", file.toString()});
        } finally {
            System.setErr(original);
        }
        String output = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(FundamentMain.BAD_CONFIG);
        assertThat(output)
                .contains("2 problems in " + file)
                .contains("providers.gpu.max_connections: must be at least 1, was 0")
                .contains("models.chat.provider: unknown provider 'gpu-typo'; defined: gpu, local")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void serveOptions() {
        FundamentMain.ServeOptions options = FundamentMain.ServeOptions.parse(
                new String[] {"--port", "9090", "--data", "/var/lib/fundament"}, Map.of("FUNDAMENT_CONFIG", "/etc/f.yaml"));
        assertThat(options.port()).isEqualTo(9090);
        assertThat(options.config()).isEqualTo(Path.of("/etc/f.yaml"));
        assertThat(options.data()).isEqualTo(Path.of("/var/lib/fundament"));
        assertThatThrownBy(() -> FundamentMain.ServeOptions.parse(new String[] {"--port", "http"}, Map.of()))
                .hasMessageContaining("--port expects a number");
        assertThatThrownBy(() -> FundamentMain.ServeOptions.parse(new String[] {"--verbose"}, Map.of()))
                .hasMessageContaining("Unknown option(s) [--verbose]");
    }
}
