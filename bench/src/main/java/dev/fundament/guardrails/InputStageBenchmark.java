package dev.fundament.guardrails;

import dev.fundament.config.ConfigLoader;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.ModelKind;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.routing.Route;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole guardrail input stage for a 2 KB business prompt with every detector on (all
 * personal-data categories pseudonymised, secrets and prompt injection checked), as the gateway runs
 * it: what guardrails add to a request before it leaves.
 *
 * <pre>
 * ./mvnw -q -pl app,bench package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main InputStageBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InputStageBenchmark {

    static final String PARAGRAPH = "Hello team, please prepare the quarterly summary for our customer Maria Schmidt "
            + "(maria.schmidt@example.com, +49 30 1234567). The invoice 2026-1147 over 12,480.00 EUR was paid from "
            + "DE89 3704 0044 0532 0130 00 on 14 March; the delivery went to Hauptstraße 5, 10115 Berlin. "
            + "Our server at 192.168.10.24 logged the order. Summarise the open points, list the risks for the "
            + "next quarter and draft a friendly reminder about the pending contract renewal. ";

    private Guardrails guardrails;
    private ChatRequest request;
    private Principal principal;
    private Route route;

    @Setup
    public void setUp() {
        GuardrailsSpec spec = ConfigLoader.loadYaml("""
                guardrails:
                  policies:
                    - name: pii
                      on: input
                      detect: [personal_data]
                      action: pseudonymize
                    - name: secrets
                      on: input
                      detect: [secret]
                      action: flag
                    - name: injection
                      on: input
                      detect: [prompt_injection]
                      action: flag
                """, "bench", Map.of()).spec().guardrails();
        guardrails = new Guardrails(spec, Map.of());
        String prompt = PARAGRAPH.repeat(2048 / PARAGRAPH.length() + 1).substring(0, 2048);
        request = new ChatRequest("m", List.of(Message.text(dev.fundament.inference.Role.SYSTEM, "You are a helpful assistant."),
                Message.text(dev.fundament.inference.Role.USER, prompt)), false, false, List.of(), null, null, null, null,
                null, null, List.of(), null, Map.of());
        principal = new Principal("ann", false, "sales", Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of());
        route = new Route("m", ModelKind.CHAT, List.of(), true);
    }

    /** The input stage of one request with a 2 KB prompt, all detectors on. */
    @Benchmark
    public Guarded inputStage() {
        return guardrails.input(principal, route, request, d -> { });
    }
}
