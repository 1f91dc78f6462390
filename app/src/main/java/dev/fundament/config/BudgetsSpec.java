package dev.fundament.config;

import java.util.Map;

/**
 * Spending caps in the pricing currency, per UTC day and calendar month. A request must fit every
 * budget that applies to it (its team's, its user's, its key's).
 *
 * @param teams by team id
 * @param users by user id (a key's subject)
 * @param keys  by key prefix ({@code fk-AbC123xyz}, as the admin API lists it)
 */
public record BudgetsSpec(Map<String, BudgetSpec> teams, Map<String, BudgetSpec> users, Map<String, BudgetSpec> keys) {

    public static final BudgetsSpec DEFAULTS = new BudgetsSpec(null, null, null);

    public BudgetsSpec {
        teams = teams != null ? teams : Map.of();
        users = users != null ? users : Map.of();
        keys = keys != null ? keys : Map.of();
    }

    /**
     * @param daily   the most that may be spent in one UTC day; {@code null}: no daily cap
     * @param monthly the most that may be spent in one calendar month (UTC); {@code null}: no monthly cap
     */
    public record BudgetSpec(Double daily, Double monthly) {
    }
}
