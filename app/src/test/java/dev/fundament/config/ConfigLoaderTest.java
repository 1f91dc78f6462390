package dev.fundament.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test", "ANTHROPIC_API_KEY", "ak-test",
            "AZURE_OPENAI_API_KEY", "az-test", "CRM_DB_PASSWORD", "crm-test", "HELPDESK_DB_PASSWORD", "helpdesk-test");

    @Test
    void theDocumentedExampleLoads() {
        LoadedConfig config = ConfigLoader.load(Path.of("../fundament.example.yaml"), ENV);
        assertThat(config.spec().providers()).containsKeys("openai", "azure-eu", "anthropic", "ollama", "vllm", "local");
        assertThat(config.spec().models()).isNotEmpty();
        assertThat(config.hash()).hasSize(64);
    }

    @Test
    void everyProblemIsReportedByPathInOneFailure() {
        String yaml = """
                server:
                  max_body_size: lots
                providers:
                  openai:
                    type: openai
                    api_key: env:MISSING_KEY
                    timeouts:
                      connect: soon
                  broken:
                    base_url: http://127.0.0.1:9/v1
                    colour: blue
                models:
                  chat:
                    provider: azure-eu
                    model: gpt-4o
                  both:
                    provider: openai
                    targets:
                      - provider: openai
                """;
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "test.yaml", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "server.max_body_size: expected a size such as 512KiB or 4MiB, found 'lots'",
                                "providers.openai.timeouts.connect: expected a duration such as 250ms, 5s, 2m or 1h, found 'soon'",
                                "providers.broken.colour: unknown key; allowed here: type, base_url, api_key, api_version, headers, timeouts, max_connections, direct_access, default_max_tokens, ask_for_usage, labels, circuit_breaker, max_concurrency, max_queue, queue_timeout, health_check, http2",
                                "providers.broken.type: required key is missing",
                                "providers.openai.api_key: environment variable MISSING_KEY is not set",
                                "models.chat.provider: unknown provider 'azure-eu'; defined: openai, broken, local",
                                "models.both: give either provider and model, or targets, not both"))
                .hasMessageContaining("7 problems in test.yaml");
    }

    @Test
    void unknownTopLevelKeyAndBadEnum() {
        assertThatThrownBy(() -> ConfigLoader.loadYaml("routes: {}\nproviders:\n  x:\n    type: openia\n", "t", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder("routes: unknown key; allowed here: server, storage, identity, limits, budgets, pricing, roi, guardrails, audit, providers, models, collections",
                                "providers.x.type: unknown value 'openia'; expected one of: openai, azure-openai, anthropic, vllm, ollama, lmstudio, local"));
    }

    @Test
    void invalidYamlSyntaxNamesTheLine() {
        assertThatThrownBy(() -> ConfigLoader.loadYaml("providers:\n  a: [unclosed\n", "t", ENV))
                .hasMessageContaining("not valid YAML").hasMessageContaining("line");
    }

    @Test
    void defaultsAreAppliedOnce() {
        LoadedConfig config = ConfigLoader.loadYaml("""
                providers:
                  gpu:
                    type: vllm
                models:
                  llama:
                    provider: gpu
                """, "t", Map.of());
        ProviderSpec gpu = config.spec().providers().get("gpu");
        assertThat(gpu.baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
        assertThat(gpu.timeouts().connect()).isEqualTo(Duration.ofSeconds(5));
        assertThat(gpu.timeouts().idle()).as("a stream's longest silence between chunks").isEqualTo(Duration.ofSeconds(60));
        assertThat(gpu.maxConnections()).isEqualTo(256);
        assertThat(config.spec().models().get("llama").kind()).isEqualTo(ModelKind.CHAT);
        assertThat(config.spec().models().get("llama").allTargets()).containsExactly(new TargetSpec("gpu", null));
        assertThat(config.spec().server().maxBodySize().bytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.spec().providers()).containsKey("local");
    }

    @Test
    void streamTimeoutsAreReadAndMustBePositive() {
        LoadedConfig config = ConfigLoader.loadYaml("""
                providers:
                  gpu: {type: vllm, timeouts: {first_token: 5s, idle: 2s, total: 15s}}
                """, "t", Map.of());
        assertThat(config.spec().providers().get("gpu").timeouts().idle()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> ConfigLoader.loadYaml("providers:\n  gpu: {type: vllm, timeouts: {idle: 0s}}\n", "t", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactly("providers.gpu.timeouts.idle: must be longer than zero"));
    }

    @Test
    void zeroConfigExposesProvidersFromTheEnvironment() {
        LoadedConfig config = ConfigLoader.load(null, Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9000/v1",
                "ANTHROPIC_API_KEY", "ak", "OLLAMA_BASE_URL", "http://127.0.0.1:11434"));
        assertThat(config.spec().providers()).containsOnlyKeys("openai", "anthropic", "ollama", "local");
        assertThat(config.spec().providers().get("ollama").baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(config.apiKey("anthropic")).isEqualTo("ak");
        assertThat(config.apiKey("openai")).isNull();
        assertThat(ConfigLoader.load(null, Map.of()).spec().providers()).containsOnlyKeys("local");
    }

    @Test
    void cloudProvidersNeedAKeyButLocalServersDoNot() {
        assertThatThrownBy(() -> ConfigLoader.loadYaml("providers:\n  openai:\n    type: openai\n", "t", Map.of()))
                .hasMessageContaining("providers.openai.api_key: required for openai");
        ConfigLoader.loadYaml("providers:\n  openai:\n    type: openai\n    base_url: http://127.0.0.1:9000/v1\n", "t", Map.of());
    }

    @Test
    void hashIgnoresOrderAndCommentsButNotValues() {
        String a = ConfigLoader.loadYaml("providers:\n  o:\n    type: ollama\n    max_connections: 4\n", "t", Map.of()).hash();
        String b = ConfigLoader.loadYaml("# comment\nproviders:\n  o:\n    max_connections: 4\n    type: ollama\n", "t", Map.of()).hash();
        String c = ConfigLoader.loadYaml("providers:\n  o:\n    type: ollama\n    max_connections: 5\n", "t", Map.of()).hash();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void secretsAreNeverInTheDescription() {
        LoadedConfig config = ConfigLoader.loadYaml("providers:\n  openai:\n    type: openai\n    api_key: env:OPENAI_API_KEY\n", "t", ENV);
        assertThat(config.apiKey("openai")).isEqualTo("sk-test");
        assertThat(config.toString()).doesNotContain("sk-test");
    }

    @Test
    void badGuardrailPoliciesAreReportedByPath() {
        String yaml = """
                identity:
                  teams: {hr: {}}
                guardrails:
                  hold_back: 4
                  phone_regions: [DE, germany]
                  canaries:
                    crm: {}
                  policies:
                    - name: pii
                      on: output
                      detect: [personal_data, passport_photo, canary:erp]
                      action: pseudonymize
                      teams: [legal]
                      threshold: 1.5
                    - name: pii
                      detect: [prompt_injection]
                      action: redact
                    - name: nothing
                      detect: []
                      action: flag
                    - detect: [email]
                      action: explode
                  residency:
                    - name: hr-on-prem
                      require_labels: []
                """;
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "test.yaml", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("guardrails.hold_back", "guardrails.phone_regions[1]", "guardrails.canaries.crm",
                                "guardrails.policies[0].detect[1]", "guardrails.policies[0].detect[2]",
                                "guardrails.policies[0].action", "guardrails.policies[0].teams[0]",
                                "guardrails.policies[0].threshold", "guardrails.policies[1].name",
                                "guardrails.policies[1].action", "guardrails.policies[2].detect",
                                "guardrails.policies[3].name", "guardrails.policies[3].action",
                                "guardrails.residency[0]", "guardrails.residency[0].require_labels"));
    }

    @Test
    void weightsMustBeSensible() {
        String yaml = """
                providers:
                  a: {type: vllm, base_url: "http://127.0.0.1:8000/v1"}
                  b: {type: vllm, base_url: "http://127.0.0.1:8001/v1"}
                models:
                  chat:
                    targets:
                      - {provider: a, weight: -5}
                      - {provider: b, weight: 5000}
                  zero:
                    targets:
                      - {provider: a, weight: 0}
                      - {provider: b, weight: 0}
                """;
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "test.yaml", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("models.chat.targets[0].weight", "models.chat.targets[1].weight", "models.zero.targets"));
    }

    @Test
    void conditionsShadowsAndHealthChecksAreCheckedByPath() {
        String yaml = """
                providers:
                  a: {type: vllm, base_url: "http://127.0.0.1:8000/v1", health_check: {path: models, interval: 0s}}
                  b: {type: vllm, base_url: "http://127.0.0.1:8001/v1"}
                models:
                  chat:
                    strategy: fastest
                    provider: a
                  canary:
                    strategy: weighted
                    rollout: {percent: 150}
                    shadow: {provider: nowhere, percent: -1}
                    targets:
                      - {provider: a, when: {percent: 101, headers: {x-lane: null}}}
                      - {provider: b}
                """;
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "test.yaml", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("providers.a.health_check.path", "providers.a.health_check.interval", "models.chat.strategy",
                                "models.canary.strategy", "models.canary.rollout.percent", "models.canary.shadow.provider",
                                "models.canary.shadow.percent", "models.canary.targets[0].when.percent",
                                "models.canary.targets[0].when.headers.x-lane"));
    }

    @Test
    void routingOptionsLoad() {
        String yaml = """
                providers:
                  a: {type: vllm, base_url: "http://127.0.0.1:8000/v1", health_check: {}}
                  b: {type: vllm, base_url: "http://127.0.0.1:8001/v1"}
                models:
                  replicas:
                    strategy: least_latency
                    timeout: 90s
                    rollout: {teams: [sales], percent: 20}
                    shadow: {provider: b, model: next, version: v2}
                    targets:
                      - {provider: a, when: {classification: [confidential]}}
                      - {provider: b}
                """;
        var spec = ConfigLoader.loadYaml(yaml, "test.yaml", ENV).spec();
        var model = spec.models().get("replicas");
        assertThat(model.strategy()).isEqualTo(RouteStrategy.LEAST_LATENCY);
        assertThat(model.rollout().percent()).isEqualTo(20);
        assertThat(model.timeout()).hasSeconds(90);
        assertThat(model.shadow().percent()).as("default share").isEqualTo(10);
        assertThat(model.targets().getFirst().when().classification()).containsExactly("confidential");
        assertThat(spec.providers().get("a").healthCheck().path()).isEqualTo("/models");
        assertThat(spec.providers().get("a").healthCheck().interval()).hasSeconds(10);
    }

    @Test
    void collectionProblemsAreReportedByPath() {
        String yaml = """
                collections:
                  crm:
                    owner: sales
                    readers: [everyone]
                    answer_model: gpt-9
                    chunking: {max_tokens: 10}
                    sources:
                      - {name: db, type: jdbc, table: accounts}
                      - {name: db, type: folder}
                      - {name: cdc, type: postgres_cdc, url: "jdbc:mysql://erp/erp", text_fields: [name]}
                """;
        assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "c.yaml", ENV))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .contains("collections.crm.readers[0]: a reader is 'public', 'team:<id>', 'group:<name>' or 'user:<id>', was 'everyone'",
                                "collections.crm.answer_model: unknown model 'gpt-9'; name a model of the models section or <provider>/<model>",
                                "collections.crm.chunking.max_tokens: must be from 32 to 2048, was 10",
                                "collections.crm.sources[0].url: a JDBC URL such as jdbc:postgresql://erp:5432/erp is required",
                                "collections.crm.sources[0].text_fields: name the columns whose text is indexed",
                                "collections.crm.sources[1].name: duplicate source name 'db'",
                                "collections.crm.sources[1].path: required for a folder source",
                                "collections.crm.sources[2].url: change data capture reads PostgreSQL; expected jdbc:postgresql://..., was jdbc:mysql://erp/erp",
                                "collections.crm.sources[2].tables: list the tables to follow, as schema.table"));
    }
}
