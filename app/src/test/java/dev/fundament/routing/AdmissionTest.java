package dev.fundament.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A provider at capacity: who waits, in which order, and who is shed. */
class AdmissionTest {

    private static Admission.Permit now(Admission a, Admission.Ticket t) {
        return a.acquire(t).await().atMost(Duration.ofSeconds(1));
    }

    @Test
    void teamsTakeTurnsSoOneTeamsBurstCannotStarveAnother() {
        Admission a = new Admission("gpu", 1, 10, 60_000);
        Admission.Permit running = now(a, new Admission.Ticket("batch-heavy", false));
        List<String> served = new ArrayList<>();
        List<Admission.Permit> permits = new ArrayList<>();
        for (String who : List.of("sales:1", "sales:2", "sales:3", "hr:1", "legal:1")) {
            String team = who.substring(0, who.indexOf(':'));
            a.acquire(new Admission.Ticket(team, false)).subscribe().with(p -> {
                served.add(who);
                permits.add(p);
            });
        }
        assertThat(a.queued()).isEqualTo(5);
        running.release();
        while (!permits.isEmpty()) {
            permits.removeFirst().release();
        }
        assertThat(served).containsExactly("sales:1", "hr:1", "legal:1", "sales:2", "sales:3");
        assertThat(a.inFlight()).isZero();
        assertThat(a.queued()).isZero();
    }

    @Test
    void interactiveCallsGoBeforeBatch() {
        Admission a = new Admission("gpu", 1, 10, 60_000);
        Admission.Permit running = now(a, new Admission.Ticket("ops", false));
        List<String> served = new ArrayList<>();
        List<Admission.Permit> permits = new ArrayList<>();
        a.acquire(new Admission.Ticket("ops", true)).subscribe().with(p -> {
            served.add("batch");
            permits.add(p);
        });
        a.acquire(new Admission.Ticket("sales", false)).subscribe().with(p -> {
            served.add("interactive");
            permits.add(p);
        });
        running.release();
        permits.removeFirst().release();
        assertThat(served).containsExactly("interactive", "batch");
    }

    @Test
    void aFullQueueAndALongWaitAreShedWithRetryAfter() {
        Admission a = new Admission("gpu", 1, 1, 50);
        now(a, Admission.Ticket.ANONYMOUS);
        var waiting = a.acquire(Admission.Ticket.ANONYMOUS).subscribeAsCompletionStage();
        assertThatThrownBy(() -> now(a, Admission.Ticket.ANONYMOUS)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
            assertThat(e.kind().status()).isEqualTo(503);
            assertThat(e.headers()).containsKey("Retry-After");
            assertThat(e.getMessage()).contains("queue is full");
        });
        assertThatThrownBy(() -> waiting.toCompletableFuture().get()).hasCauseInstanceOf(GatewayException.class)
                .hasMessageContaining("no slot freed up within 50 ms");
        assertThat(a.queued()).as("the one that gave up left the queue").isZero();
    }
}
