package dev.fundament.usage;

/**
 * A budget crossed 50, 80 or 100 % of its cap. Fired as a CDI event by the instance whose request
 * crossed it (alerting observes these).
 *
 * @param scope   team, user or key
 * @param id      the team id, user id or key prefix
 * @param period  {@code day} or {@code month}
 * @param percent 50, 80 or 100
 */
public record BudgetEvent(String scope, String id, String period, int percent, double spent, double cap,
                          String currency) {
}
