package dev.fundament.usage;

import dev.fundament.config.Configuration;
import dev.fundament.config.RoiSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports from the ledger, under the role rules: admins and auditors see every team, a team admin only
 * its own (asking for another team is refused, not answered empty), users none. Blocking: call from a
 * worker thread.
 */
@ApplicationScoped
public class UsageReports {

    private final LedgerStore store;
    private final RoiSpec roi;
    private final String currency;

    @Inject
    public UsageReports(Ledger ledger, Configuration configuration) {
        this(ledger.store(), configuration.spec().roi(), ledger.pricing().currency());
    }

    UsageReports(LedgerStore store, RoiSpec roi, String currency) {
        this.store = store;
        this.roi = roi;
        this.currency = currency;
    }

    public String currency() {
        return currency;
    }

    /** @param team a team filter, or {@code null} for every team the caller may see */
    public List<LedgerStore.UsageRow> usage(Principal actor, LedgerStore.Dimension groupBy, LocalDate from, LocalDate to,
                                            String team) {
        return store.report(groupBy, from, to, visibleTeam(actor, team));
    }

    /** One line of the ROI report: what a use case saved against what it cost. */
    public record RoiRow(String useCase, long requests, double minutesSaved, double valueSaved, double cost, double net) {
    }

    public List<RoiRow> roi(Principal actor, LocalDate from, LocalDate to, String team) {
        List<RoiRow> rows = new ArrayList<>();
        for (LedgerStore.UsageRow r : store.report(LedgerStore.Dimension.TAG, from, to, visibleTeam(actor, team))) {
            long succeeded = r.requests() - r.errors();
            RoiSpec.UseCaseSpec useCase = r.group() == null ? null : roi.useCases().get(r.group());
            double minutes = useCase == null ? 0 : succeeded * useCase.minutesSavedPerRequest();
            double value = minutes / 60.0 * roi.hourlyRate();
            double cost = r.costMicros() / 1_000_000.0;
            rows.add(new RoiRow(r.group(), r.requests(), minutes, value, cost, value - cost));
        }
        return rows;
    }

    private static String visibleTeam(Principal actor, String team) {
        if (actor.has(Role.ADMIN) || actor.has(Role.AUDITOR)) {
            return team;
        }
        if (actor.has(Role.TEAM_ADMIN)) {
            if (team != null && !team.equals(actor.team())) {
                throw new GatewayException(ErrorKind.PERMISSION_DENIED, "A team admin sees its own team's usage only ('"
                        + actor.team() + "').");
            }
            return actor.team();
        }
        throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins, auditors and team admins read usage reports.");
    }
}
