package dev.fundament.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.ConditionSpec;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static Principal principal(String user, String team, String keyId, Map<String, String> metadata) {
        return new Principal(user, false, team, Set.of(Role.USER), Set.of(), keyId, "fk-x", metadata);
    }

    private static Caller caller(String user, String team) {
        return Caller.of(principal(user, team, "key-" + user, Map.of()));
    }

    @Test
    void everyGivenPartMustMatch() {
        Condition c = Condition.of(new ConditionSpec(List.of("sales"), null, null, Map.of("X-Lane", "fast"),
                Map.of("app", "crm"), null, null));
        Principal crmSales = principal("ann", "sales", "k1", Map.of("app", "crm"));
        assertThat(c.matches(new Caller(crmSales, null, name -> name.equalsIgnoreCase("x-lane") ? "fast" : null, Set.of()), "m")).isTrue();
        assertThat(c.matches(new Caller(crmSales, null, name -> null, Set.of()), "m")).as("header missing").isFalse();
        Principal otherApp = principal("ann", "sales", "k1", Map.of("app", "wiki"));
        assertThat(c.matches(new Caller(otherApp, null, name -> "fast", Set.of()), "m")).as("metadata differs").isFalse();
        Principal hr = principal("ann", "hr", "k1", Map.of("app", "crm"));
        assertThat(c.matches(new Caller(hr, null, name -> "fast", Set.of()), "m")).as("team differs").isFalse();
        assertThat(Condition.of(null).matches(caller("bob", null), "m")).isTrue();
    }

    @Test
    void classificationIsDeclaredOrFound() {
        Condition sensitive = Condition.of(new ConditionSpec(null, null, null, null, null, List.of("Confidential", "personal_data"), null));
        Principal p = principal("ann", "sales", "k1", Map.of());
        assertThat(sensitive.matches(Caller.of(p), "m")).isFalse();
        assertThat(sensitive.matches(new Caller(p, null, n -> null, Caller.declared(p, n -> "CONFIDENTIAL")), "m"))
                .as("declared in the header").isTrue();
        Principal labelled = principal("ann", "sales", "k1", Map.of("classification", "confidential"));
        assertThat(sensitive.matches(new Caller(labelled, null, n -> null, Caller.declared(labelled, n -> null)), "m"))
                .as("declared by the key").isTrue();
        assertThat(sensitive.matches(Caller.of(p).classified(Set.of("email", "personal_data")), "m")).as("found").isTrue();
    }

    @Test
    void percentCohortsAreStickyAndOnlyGrow() {
        Condition twenty = Condition.of(new ConditionSpec(null, null, null, null, null, null, 20));
        Condition fifty = Condition.of(new ConditionSpec(null, null, null, null, null, null, 50));
        int in20 = 0;
        int in50 = 0;
        for (int i = 0; i < 10_000; i++) {
            Caller u = caller("user-" + i, "t");
            boolean a = twenty.matches(u, "assistant");
            assertThat(twenty.matches(u, "assistant")).as("the same answer every time").isEqualTo(a);
            boolean b = fifty.matches(u, "assistant");
            if (a) {
                assertThat(b).as("raising the share keeps everyone already in").isTrue();
                in20++;
            }
            in50 += b ? 1 : 0;
        }
        assertThat(in20).isBetween(1_850, 2_150);
        assertThat(in50).isBetween(4_850, 5_150);
        int overlap = 0;
        for (int i = 0; i < 10_000; i++) {
            Caller u = caller("user-" + i, "t");
            if (twenty.matches(u, "assistant") && twenty.matches(u, "other-model")) {
                overlap++;
            }
        }
        assertThat(overlap).as("each model draws its own cohort").isBetween(250, 550);
    }

    @Test
    void theRequestsUserFieldWinsOverTheServiceAccount() {
        Principal service = principal("crm-backend", "sales", "k1", Map.of());
        Condition c = Condition.of(new ConditionSpec(null, null, List.of("alice"), null, null, null, null));
        assertThat(c.matches(new Caller(service, "alice", n -> null, Set.of()), "m")).isTrue();
        assertThat(c.matches(new Caller(service, null, n -> null, Set.of()), "m")).isFalse();
    }
}
