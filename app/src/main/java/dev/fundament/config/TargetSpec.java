package dev.fundament.config;

/**
 * One target of a model.
 *
 * @param model   the upstream model (for Azure the deployment name); defaults to the public name
 * @param weight  share of first attempts when the model's targets have weights (A/B tests, canaries:
 *                90 and 10); targets without weight are fallbacks only; default none
 * @param version a label for the model version behind this target, such as {@code 2024-08-06}, shown
 *                in the admin API and recorded with each request; optional
 * @param when    the requests this target serves (teams, keys, headers, metadata, data
 *                classification, a sticky share of users); default all
 */
public record TargetSpec(@Required String provider, String model, Integer weight, String version, ConditionSpec when) {

    public TargetSpec(String provider, String model) {
        this(provider, model, null, null, null);
    }

    public TargetSpec(String provider, String model, Integer weight, String version) {
        this(provider, model, weight, version, null);
    }
}
