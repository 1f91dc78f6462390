package dev.fundament.config;

/** @param model the upstream model (for Azure the deployment name); defaults to the public name */
public record TargetSpec(@Required String provider, String model) {
}
