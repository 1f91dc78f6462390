package dev.fundament.config;

/** An enum constant's spelling in YAML, when it is not the lower-case constant name. */
public interface WireName {
    String wire();
}
