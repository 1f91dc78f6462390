package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.ConfigLoader;
import dev.fundament.config.ModelKind;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
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

/** Which requests a policy applies to, what it records, and that a guardrail which cannot run fails closed. */
class PolicyScopeTest {

    private static final Route ROUTE = new Route("assistant", ModelKind.CHAT, List.of(), true);

    private static Guardrails guardrails() {
        return new Guardrails(ConfigLoader.loadYaml("""
                identity:
                  teams: {hr: {}, sales: {}}
                providers:
                  sim: {type: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-none}
                models:
                  assistant: {provider: sim}
                  other: {provider: sim}
                guardrails:
                  policies:
                    - {name: hr-mails, detect: [email], action: redact, teams: [hr]}
                    - {name: one-key, detect: [phone], action: block, keys: [fk-Special]}
                    - {name: other-model, detect: [iban], action: block, models: [other]}
                """, "test", Map.of()).spec().guardrails(), Map.of());
    }

    private static Principal member(String team, String keyPrefix) {
        return new Principal("u", false, team, Set.of(Role.USER), Set.of(), "k", keyPrefix, Map.of());
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("assistant", List.of(Message.text(dev.fundament.inference.Role.USER, text)), false, false,
                List.of(), null, null, null, null, null, null, List.of(), null, Map.of());
    }

    @Test
    void policiesApplyOnlyToTheirTeamsKeysAndModels() {
        Guardrails g = guardrails();
        String text = "Mail ina@example.org, call +49 30 1234567, pay DE89 3704 0044 0532 0130 00";
        List<Decision> decisions = new ArrayList<>();
        String hr = g.input(member("hr", "fk-Ordinary"), ROUTE, ask(text), decisions::add).request().messages().getFirst().text();
        assertThat(hr).startsWith("Mail [EMAIL], call +49 30 1234567");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.policy()).isEqualTo("hr-mails");
            assertThat(d.category()).isEqualTo(Category.EMAIL);
            assertThat(d.detector()).isEqualTo("email");
            assertThat(text.substring(d.start(), d.end())).isEqualTo("ina@example.org");
        });
        assertThat(g.input(member("sales", "fk-Ordinary"), ROUTE, ask(text), d -> { }).request().messages().getFirst().text())
                .isEqualTo(text);
        assertThatThrownBy(() -> g.input(member("sales", "fk-Special"), ROUTE, ask(text), d -> { }))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage()).contains("one-key").contains("phone"));
    }

    @Test
    void aDetectorThatFailsMakesTheRequestFailClosed() {
        Detector broken = new Detector() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Set<Category> categories() {
                return Set.of(Category.EMAIL);
            }

            @Override
            public void detect(String text, List<Finding> out) {
                throw new IllegalStateException("boom");
            }
        };
        assertThatThrownBy(() -> Scanner.scan("anything", List.of(broken)))
                .isInstanceOfSatisfying(Scanner.GuardrailFailure.class, f -> {
                    GatewayException e = Guardrails.unavailable(f);
                    assertThat(e.kind()).isEqualTo(ErrorKind.GUARDRAIL_UNAVAILABLE);
                    assertThat(e.kind().status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("detector broken").contains("not passed on");
                });
    }
}
