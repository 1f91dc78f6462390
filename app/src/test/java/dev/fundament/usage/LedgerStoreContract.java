package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LedgerStore} must do; each implementation's test extends this. */
abstract class LedgerStoreContract {

    LedgerStore store;

    abstract LedgerStore create();

    @BeforeEach
    void setUp() {
        store = create();
    }

    static LedgerEntry entry(String at, String team, String model, int in, int out, long cost, int status, String tag) {
        return new LedgerEntry(UUID.randomUUID().toString(), "req-" + UUID.randomUUID(), Instant.parse(at), "ann", team,
                "key-" + team, "fk-" + team, tag, "chat", model, "openai", model, in, out, 0, false, cost, "EUR", 120,
                status, status >= 400 ? "upstream_error" : null, false, false, false, "hash");
    }

    @Test
    void insertsAndReportsByTeamModelAndDay() {
        store.insert(List.of(
                entry("2026-11-02T09:00:00Z", "sales", "gpt-4o", 100, 20, 1_500, 200, "email-drafts"),
                entry("2026-11-02T10:00:00Z", "sales", "gpt-4o-mini", 50, 10, 250, 200, null),
                entry("2026-11-03T10:00:00Z", "hr", "gpt-4o", 10, 0, 0, 502, "cv-screening"),
                entry("2026-12-01T00:00:00Z", "sales", "gpt-4o", 1, 1, 1, 200, null)));
        LocalDate from = LocalDate.parse("2026-11-01");
        LocalDate to = LocalDate.parse("2026-11-30");

        assertThat(store.report(LedgerStore.Dimension.TEAM, from, to, null)).containsExactly(
                new LedgerStore.UsageRow("hr", 1, 10, 0, 0, 0, 1),
                new LedgerStore.UsageRow("sales", 2, 150, 30, 0, 1_750, 0));
        assertThat(store.report(LedgerStore.Dimension.MODEL, from, to, "sales")).extracting(LedgerStore.UsageRow::group)
                .containsExactly("gpt-4o", "gpt-4o-mini");
        assertThat(store.report(LedgerStore.Dimension.DAY, from, to, null)).extracting(LedgerStore.UsageRow::group)
                .containsExactly("2026-11-02", "2026-11-03");
        assertThat(store.report(LedgerStore.Dimension.TAG, from, to, "sales")).extracting(LedgerStore.UsageRow::group)
                .containsExactly(null, "email-drafts");
    }

    @Test
    void spentSinceSumsAScope() {
        store.insert(List.of(
                entry("2026-11-02T09:00:00Z", "sales", "m", 1, 1, 1_000, 200, null),
                entry("2026-11-05T09:00:00Z", "sales", "m", 1, 1, 2_000, 200, null),
                entry("2026-11-05T09:00:00Z", "hr", "m", 1, 1, 4_000, 200, null)));
        assertThat(store.spentSince("team", "sales", Instant.parse("2026-11-01T00:00:00Z"))).isEqualTo(3_000);
        assertThat(store.spentSince("team", "sales", Instant.parse("2026-11-03T00:00:00Z"))).isEqualTo(2_000);
        assertThat(store.spentSince("key", "key-hr", Instant.parse("2026-11-01T00:00:00Z"))).isEqualTo(4_000);
        assertThat(store.spentSince("user", "nobody", Instant.parse("2026-11-01T00:00:00Z"))).isZero();
    }

    @Test
    void findsEntriesByRequestId() {
        LedgerEntry e = entry("2026-11-02T09:00:00Z", "sales", "m", 1, 1, 1, 200, null);
        store.insert(List.of(e));
        assertThat(store.countByRequestId(e.requestId())).isEqualTo(1);
        assertThat(store.countByRequestId("unknown")).isZero();
        assertThat(store.findByRequestId(e.requestId())).containsExactly(e);
    }

    @Test
    void keepsOpenRequestsOfAnInstanceUntilTheySettle() {
        LedgerEntry a = open("2026-11-02T09:00:00Z");
        LedgerEntry b = open("2026-11-02T09:00:01Z");
        LedgerEntry other = open("2026-11-02T09:00:02Z");
        store.insertOpen("instance-1", List.of(a, b));
        store.insertOpen("instance-1", List.of(a)); // a replay offers it again
        store.insertOpen("instance-2", List.of(other));
        LedgerEntry settledB = new LedgerEntry(b.id(), b.requestId(), b.at(), b.subject(), b.team(), b.keyId(), b.keyPrefix(),
                b.useCase(), b.operation(), b.model(), "openai", "gpt-4o", 10, 5, 0, false, 30, "EUR", 12, 200, null, true,
                false, false, "hash");
        store.insert(List.of(settledB));

        assertThat(store.unsettled("instance-1")).as("b settled; another instance's are not ours").containsExactly(a);
        store.deleteOpen(List.of(a.id()));
        assertThat(store.unsettled("instance-1")).isEmpty();
        assertThat(store.unsettled("instance-2")).containsExactly(other);
    }

    private static LedgerEntry open(String at) {
        return new LedgerEntry(UUID.randomUUID().toString(), "req-" + UUID.randomUUID(), Instant.parse(at), "ann", "sales",
                "key-sales", "fk-sales", null, "chat", "gpt-4o", null, null, 0, 0, 0, true, 4_096_000, "EUR", 0,
                LedgerEntry.OPEN, null, true, false, false, "hash");
    }
}
