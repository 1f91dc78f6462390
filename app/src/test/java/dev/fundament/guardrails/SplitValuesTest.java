package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.ConfigLoader;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.ModelKind;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Values split over two messages. A key sent as {@code AKIAQYLPMN} in one message and
 * {@code 5HFT2XK7RD} in the next passed, because each message was scanned on its own. The seam
 * between messages is scanned joined now; the replacement stands in the first piece and the second
 * piece is removed, and a value that one message has whole is not lengthened by the next.
 */
class SplitValuesTest {

    private static final Principal ANN = new Principal("ann", false, "sales", Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of());
    private static final Route ROUTE = new Route("m", ModelKind.CHAT, List.of(), true);

    private static Guardrails guardrails(String action) {
        GuardrailsSpec spec = ConfigLoader.loadYaml("""
                guardrails:
                  policies:
                    - name: p
                      on: input
                      detect: [secret, email]
                      action: %s
                """.formatted(action), "test", Map.of()).spec().guardrails();
        return new Guardrails(spec, Map.of());
    }

    private static ChatRequest ask(String... turns) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < turns.length; i++) {
            messages.add(Message.text(i % 2 == 0 ? dev.fundament.inference.Role.USER : dev.fundament.inference.Role.ASSISTANT,
                    turns[i]));
        }
        return new ChatRequest("m", messages, false, false, List.of(), null, null, null, null, null, null, List.of(), null, Map.of());
    }

    private static List<String> texts(ChatRequest r) {
        return r.messages().stream().map(Message::text).toList();
    }

    @Test
    void aKeySplitOverTwoUserMessagesIsRedactedInBoth() {
        List<Decision> decisions = new ArrayList<>();
        ChatRequest out = guardrails("redact").input(ANN, ROUTE, ask("My key starts AKIAQYLPMN", "Noted.",
                "5HFT2XK7RD is the rest."), decisions::add).request();
        assertThat(texts(out)).containsExactly("My key starts [SECRET]", "Noted.", " is the rest.");
        assertThat(decisions).extracting(Decision::message).containsExactly(0, 2);
    }

    @Test
    void aSplitAddressIsPseudonymisedOnceAndRestoredWhole() {
        Guarded guarded = guardrails("pseudonymize").input(ANN, ROUTE, ask("Write to ops.desk@exam", "ple.com today"), d -> { });
        assertThat(texts(guarded.request())).containsExactly("Write to <EMAIL_1>", " today");
        String answer = guarded.output(new dev.fundament.inference.ChatResult("c", 1, "m", List.of(new dev.fundament.inference
                .ChatResult.Choice(0, Message.text(dev.fundament.inference.Role.ASSISTANT, "Sent to <EMAIL_1>."), null, Map.of())),
                new dev.fundament.inference.Usage(1, 1, 0, 0, false), Map.of())).choices().getFirst().message().text();
        assertThat(answer).isEqualTo("Sent to ops.desk@example.com.");
    }

    @Test
    void aWholeValueIsNotLengthenedByTheNextMessage() {
        ChatRequest out = guardrails("redact").input(ANN, ROUTE, ask("Mail bob@example.com", "Thanks, will do"), d -> { }).request();
        assertThat(texts(out)).containsExactly("Mail [EMAIL]", "Thanks, will do");
    }

    @Test
    void neitherHalfOfALongKeyGoesOut() {
        String first = "sk-proj-Q7wK2mZp9XvB4nT8rLc1YhGd6FsJ3aEoWq5Rt";
        String second = "Uy7Ii9Oo0PpAsDfGhJkL2zXcVbNm4QwErTy";
        ChatRequest out = guardrails("redact").input(ANN, ROUTE, ask("use " + first, "ok", second + " for it"), d -> { }).request();
        assertThat(String.join("|", texts(out))).doesNotContain("Q7wK2mZp").doesNotContain("Uy7Ii9Oo").contains("[SECRET]");
    }
}
