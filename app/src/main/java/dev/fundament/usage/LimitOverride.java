package dev.fundament.usage;

import dev.fundament.config.LimitsSpec;
import java.time.Instant;

/**
 * A limit set through the admin API for one key, user, team or model; it replaces what
 * {@code fundament.yaml} says for that one subject.
 *
 * @param scope     {@code key}, {@code user}, {@code team} or {@code model}
 * @param subject   the key id, user name, team id or public model name
 * @param team      the team a key or team belongs to; {@code null} for users and models
 * @param rate      the limits; a {@code null} field means no limit of that kind
 */
public record LimitOverride(String scope, String subject, String team, LimitsSpec.RateSpec rate, Instant updatedAt,
                            String updatedBy) {
}
