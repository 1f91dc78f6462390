package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ConfigLoader;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.FinishReason;
import dev.fundament.inference.Message;
import dev.fundament.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The output stage of streams, chunk by chunk: whatever the chunk borders, a redacted entity is never
 * released in part, a blocked one never at all, and placeholders split across chunks are restored.
 */
class StreamGuardTest {

    private static final Principal ANN = new Principal("ann", false, "sales", Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of());
    private static final Route ROUTE = new Route("m", ModelKind.CHAT, List.of(), true);

    private static Guardrails guardrails(String policies) {
        GuardrailsSpec spec = ConfigLoader.loadYaml("""
                guardrails:
                  hold_back: 32
                  policies:
                %s
                """.formatted(policies.indent(4)), "test", Map.of()).spec().guardrails();
        return new Guardrails(spec, Map.of());
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("m", List.of(Message.text(dev.fundament.inference.Role.USER, text)), true, false, List.of(),
                null, null, null, null, null, null, List.of(), null, Map.of());
    }

    private static ChatChunk chunk(String text, FinishReason finish) {
        return new ChatChunk("c", 1, "m", List.of(new ChatChunk.Delta(0, null, text, List.of(), finish, Map.of())), null, Map.of());
    }

    /** Streams {@code answer} in pieces of {@code size} and returns what the caller would see, piece by piece. */
    private static List<String> stream(Guarded guarded, String answer, int size) {
        Guarded.StreamGuard guard = guarded.stream();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < answer.length(); i += size) {
            boolean last = i + size >= answer.length();
            ChatChunk out = guard.accept(chunk(answer.substring(i, Math.min(answer.length(), i + size)), last ? FinishReason.STOP : null));
            if (out != null && out.choices().getFirst().content() != null) {
                seen.add(out.choices().getFirst().content());
            }
        }
        ChatChunk rest = guard.finish();
        if (rest != null) {
            seen.add(rest.choices().getFirst().content());
        }
        return seen;
    }

    @Test
    void anEmailCutAcrossChunksIsRedactedWholeAtEveryChunkSize() {
        Guardrails g = guardrails("""
                - name: mail
                  on: output
                  detect: [email]
                  action: redact
                """);
        String answer = "Sure. You can reach our billing team at invoices.billing-team@example-company.com any time during the week, "
                + "or by post. " + "Filler text that pushes the window along. ".repeat(3);
        for (int size = 1; size <= 12; size++) {
            List<String> pieces = stream(g.input(ANN, ROUTE, ask("hi"), d -> { }), answer, size);
            String whole = String.join("", pieces);
            assertThat(whole).as("chunk size " + size).isEqualTo(answer.replace("invoices.billing-team@example-company.com", "[EMAIL]"));
            assertThat(pieces).allSatisfy(p -> assertThat(p).doesNotContain("@example"));
            assertThat(pieces.size()).as("text flows before the end, chunk size " + size).isGreaterThan(1);
        }
    }

    @Test
    void aBlockedSecretNeverLeavesEvenInPart() {
        Guardrails g = guardrails("""
                - name: secrets
                  on: output
                  detect: [secret]
                  action: block
                """);
        String answer = "Here is the configuration you asked for, with everything filled in for production use. "
                + "token = ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0nly12345678 and more text after it.";
        for (int size = 1; size <= 9; size += 2) {
            Guarded guarded = g.input(ANN, ROUTE, ask("hi"), d -> { });
            Guarded.StreamGuard guard = guarded.stream();
            StringBuilder released = new StringBuilder();
            int s = size;
            assertThatThrownBy(() -> {
                for (int i = 0; i < answer.length(); i += s) {
                    ChatChunk out = guard.accept(chunk(answer.substring(i, Math.min(answer.length(), i + s)), null));
                    if (out != null && out.choices().getFirst().content() != null) {
                        released.append(out.choices().getFirst().content());
                    }
                }
                guard.finish();
            }).isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONTENT_BLOCKED));
            assertThat(released.toString()).as("chunk size " + size).doesNotContain("ghp_").startsWith("Here is");
            assertThat(guard.stopped()).isNotNull();
        }
    }

    @Test
    void placeholdersSplitAcrossChunksAreRestored() {
        Guardrails g = guardrails("""
                - name: pii
                  on: input
                  detect: [email, iban]
                  action: pseudonymize
                """);
        List<Decision> decisions = new ArrayList<>();
        Guarded guarded = g.input(ANN, ROUTE, ask("Mail lea@example.de about DE89 3704 0044 0532 0130 00"), decisions::add);
        assertThat(guarded.request().messages().getFirst().text()).isEqualTo("Mail <EMAIL_1> about <IBAN_1>");
        assertThat(decisions).extracting(Decision::category).extracting(c -> c.wire()).containsExactly("email", "iban");
        assertThat(decisions).allSatisfy(d -> assertThat(d.action()).isEqualTo(GuardrailsSpec.Action.PSEUDONYMIZE));
        String modelAnswer = "I will mail <EMAIL_1> today and confirm the transfer to <IBAN_1> once <EMAIL_1> replies.";
        for (int size = 1; size <= 7; size++) {
            assertThat(String.join("", stream(guarded, modelAnswer, size))).as("chunk size " + size)
                    .isEqualTo("I will mail lea@example.de today and confirm the transfer to DE89 3704 0044 0532 0130 00 once "
                            + "lea@example.de replies.");
        }
    }

    /**
     * Tool-call arguments used to pass streams unread: a key and an address in a call's arguments
     * went out fragment by fragment. Fragments are now held per call index, whatever their size and
     * however two calls interleave, and the call's id and name go out at once.
     */
    @Test
    void toolCallArgumentsAreHeldPerCallAndRedactedWhole() {
        Guardrails g = guardrails("""
                - name: out
                  on: output
                  detect: [email, secret]
                  action: redact
                """);
        String first = "{\"to\": \"ops.oncall@example-company.com\", \"note\": \"rotate soon\"}";
        String second = "{\"key\": \"AKIAQYLPMN5HFT2XK7RD\", \"region\": \"eu-central-1\"}";
        for (int size = 1; size <= 9; size += 2) {
            Guarded.StreamGuard guard = g.input(ANN, ROUTE, ask("hi"), d -> { }).stream();
            java.util.Map<Integer, StringBuilder> released = new java.util.TreeMap<>();
            java.util.Map<Integer, String> names = new java.util.TreeMap<>();
            java.util.function.Consumer<ChatChunk> collect = out -> {
                if (out == null) {
                    return;
                }
                for (ChatChunk.ToolCallDelta call : out.choices().getFirst().toolCalls()) {
                    if (call.name() != null) {
                        names.put(call.index(), call.name());
                    }
                    assertThat(names).as("a call's name goes out before its arguments").containsKey(call.index());
                    released.computeIfAbsent(call.index(), k -> new StringBuilder()).append(call.arguments() == null ? "" : call.arguments());
                }
            };
            collect.accept(guard.accept(call(0, "call_a", "mail", "")));
            collect.accept(guard.accept(call(1, "call_b", "deploy", "")));
            for (int i = 0; i < Math.max(first.length(), second.length()); i += size) {
                if (i < first.length()) {
                    collect.accept(guard.accept(call(0, null, null, first.substring(i, Math.min(first.length(), i + size)))));
                }
                if (i < second.length()) {
                    collect.accept(guard.accept(call(1, null, null, second.substring(i, Math.min(second.length(), i + size)))));
                }
            }
            collect.accept(guard.accept(new ChatChunk("c", 1, "m", List.of(new ChatChunk.Delta(0, null, null, List.of(),
                    FinishReason.TOOL_CALLS, Map.of())), null, Map.of())));
            collect.accept(guard.finish());
            assertThat(names).containsExactly(Map.entry(0, "mail"), Map.entry(1, "deploy"));
            assertThat(released.get(0)).as("size " + size).hasToString("{\"to\": \"[EMAIL]\", \"note\": \"rotate soon\"}");
            assertThat(released.get(1)).as("size " + size).hasToString("{\"key\": \"[SECRET]\", \"region\": \"eu-central-1\"}");
        }
    }

    private static ChatChunk call(int index, String id, String name, String arguments) {
        return new ChatChunk("c", 1, "m", List.of(new ChatChunk.Delta(0, null, null,
                List.of(new ChatChunk.ToolCallDelta(index, id, name, arguments)), null, Map.of())), null, Map.of());
    }
}
