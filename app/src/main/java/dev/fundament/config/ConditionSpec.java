package dev.fundament.config;

import java.util.List;
import java.util.Map;

/**
 * Who a target (or a model being rolled out) is for. Every key given must match; a list matches when
 * it holds the request's value. Empty means everyone.
 *
 * @param teams          the caller's team is one of these
 * @param keys           the caller's API key id is one of these
 * @param users          the caller's user (subject) is one of these
 * @param headers        each named request header has this value (names case-insensitive)
 * @param metadata       each named key-metadata entry has this value
 * @param classification the request's data classification is one of these: declared by the caller
 *                       ({@code X-Fundament-Classification} header or key metadata {@code classification})
 *                       or found by the guardrails ({@code personal_data}, {@code secret}, a category name)
 * @param percent        this share of users, 0..100, drawn per user and model so that a user stays in
 *                       (or out of) the cohort from request to request
 */
public record ConditionSpec(List<String> teams, List<String> keys, List<String> users, Map<String, String> headers,
                            Map<String, String> metadata, List<String> classification, Integer percent) {

    public ConditionSpec {
        teams = teams != null ? List.copyOf(teams) : List.of();
        keys = keys != null ? List.copyOf(keys) : List.of();
        users = users != null ? List.copyOf(users) : List.of();
        headers = headers != null ? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers)) : Map.of();
        metadata = metadata != null ? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata)) : Map.of();
        classification = classification != null ? List.copyOf(classification) : List.of();
    }
}
