package dev.fundament.guardrails;

import dev.fundament.config.ConfigLoader;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.ModelKind;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ContentPart;
import dev.fundament.inference.Message;
import dev.fundament.inference.ToolCall;
import dev.fundament.inference.ToolDefinition;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole guardrail input stage with every detector on (all personal-data categories
 * pseudonymised, secrets and prompt injection checked), as the gateway runs it: what guardrails add
 * to a request before it leaves. {@code prompt} is a 2 KB business prompt after a system prompt;
 * {@code agent} is an agent's request: six turns of conversation, a tool call and its result, five
 * tools with parameter schemas and metadata (every field is read). With {@code cache=on} the scan
 * cache answers for texts seen before (the same request, sent again); {@code off} measures the scan.
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

    @Param({"on", "off"})
    public String cache;

    @Param({"prompt", "agent"})
    public String shape;

    private Guardrails guardrails;
    private ChatRequest request;
    private Principal principal;
    private Route route;

    @Setup
    public void setUp() {
        GuardrailsSpec spec = ConfigLoader.loadYaml("""
                guardrails:
                  scan_cache: %s
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
                """.formatted(cache.equals("on") ? "64MB" : "0"), "bench", Map.of()).spec().guardrails();
        guardrails = new Guardrails(spec, Map.of());
        String prompt = PARAGRAPH.repeat(2048 / PARAGRAPH.length() + 1).substring(0, 2048);
        request = shape.equals("prompt") ? new ChatRequest("m", List.of(Message.text(dev.fundament.inference.Role.SYSTEM,
                "You are a helpful assistant."), Message.text(dev.fundament.inference.Role.USER, prompt)), false, false, List.of(),
                null, null, null, null, null, null, List.of(), null, Map.of()) : agent();
        principal = new Principal("ann", false, "sales", Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of());
        route = new Route("m", ModelKind.CHAT, List.of(), true);
    }

    private static ChatRequest agent() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String turn = PARAGRAPH.substring(0, 300);
        List<Message> messages = new java.util.ArrayList<>();
        messages.add(Message.text(dev.fundament.inference.Role.SYSTEM, "You are the order assistant of a wholesaler. Use the "
                + "tools to look up orders and customers; never invent order numbers; answer in the customer's language."));
        for (int i = 0; i < 3; i++) {
            messages.add(Message.text(dev.fundament.inference.Role.USER, turn));
            messages.add(Message.text(dev.fundament.inference.Role.ASSISTANT, "I looked into it: " + turn));
        }
        messages.add(new Message(dev.fundament.inference.Role.ASSISTANT, List.of(), false, null, List.of(new ToolCall("call_1",
                "find_order", "{\"customer\": \"Maria Schmidt\", \"invoice\": \"2026-1147\", \"status\": \"open\"}")), null, Map.of()));
        messages.add(new Message(dev.fundament.inference.Role.TOOL, List.of(new ContentPart.Text("{\"order\": 1147, \"paid\": true, "
                + "\"account\": \"DE89 3704 0044 0532 0130 00\"}")), true, null, List.of(), "call_1", Map.of()));
        messages.add(Message.text(dev.fundament.inference.Role.USER, "Thanks. Now draft the reminder for the renewal."));
        List<ToolDefinition> tools = new java.util.ArrayList<>();
        for (String name : List.of("find_order", "find_customer", "list_invoices", "send_reminder", "create_ticket")) {
            com.fasterxml.jackson.databind.node.ObjectNode schema = json.createObjectNode().put("type", "object");
            com.fasterxml.jackson.databind.node.ObjectNode properties = schema.putObject("properties");
            for (String p : List.of("customer", "invoice", "status", "note")) {
                properties.putObject(p).put("type", "string").put("description", "The " + p + " to look for, as the customer wrote it");
            }
            schema.putArray("required").add("customer");
            tools.add(new ToolDefinition(name, "Looks up " + name.replace('_', ' ') + " in the order system and returns JSON.",
                    schema, null));
        }
        Map<String, com.fasterxml.jackson.databind.JsonNode> extensions = Map.of("metadata", json.createObjectNode()
                .put("app", "orders").put("session", "s-20261126-0042").put("channel", "web"));
        return new ChatRequest("m", messages, false, false, tools, null, null, null, null, null, null, List.of(), "ann", extensions);
    }

    /** The input stage of one request, all detectors on. */
    @Benchmark
    public Guarded inputStage() {
        return guardrails.input(principal, route, request, d -> { });
    }
}
