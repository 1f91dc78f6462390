package dev.fundament.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fundament.testing.HostileJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the configuration loader, starting from the documented example file:
 * whatever an operator writes, start-up either succeeds or fails with problems named by YAML path,
 * never with a stack trace.
 */
class ConfigBinderFuzzTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNode EXAMPLE = example();
    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test", "AZURE_OPENAI_API_KEY", "az-test",
            "ANTHROPIC_API_KEY", "sk-ant-test", "CRM_DB_PASSWORD", "secret", "HELPDESK_DB_PASSWORD", "secret", "FUNDAMENT_DB_PASSWORD", "secret",
            "FUNDAMENT_AUDIT_SIGNING_KEY", "0123456789abcdef0123456789abcdef", "REDIS_URL", "redis://127.0.0.1:6379", "NAME", "x");

    private static JsonNode example() {
        try {
            return YAML.readTree(Files.readString(Path.of("..", "fundament.example.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void aMutatedExampleLoadsOrNamesItsProblems(FuzzedDataProvider data) throws IOException {
        JsonNode tree = HostileJson.mutate(EXAMPLE, HostileJson.Source.of(data), 3);
        load(YAML.writeValueAsString(tree));
    }

    @FuzzTest(maxDuration = "10s")
    void anyTextLoadsOrNamesItsProblems(FuzzedDataProvider data) {
        load(data.consumeRemainingAsString());
    }

    private static void load(String yaml) {
        try {
            LoadedConfig loaded = ConfigLoader.loadYaml(yaml, "fuzz.yaml", ENV);
            assertThat(loaded.hash()).isNotBlank();
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.message()).isNotBlank());
        }
    }
}
