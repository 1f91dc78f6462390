package dev.fundament.config;

import java.util.List;
import java.util.Map;

/**
 * What the guardrails look for and what they do about it.
 *
 * @param policies      checks of requests and answers, applied in order; none by default
 * @param residency     rules that keep some requests on targets with certain labels (such as on-prem)
 * @param canaries      named dictionaries of terms that must not leave or come back (customer names)
 * @param phoneRegions  the regions whose national phone numbers are recognised without a country code;
 *                      default DE, AT, CH, US, GB and other EU countries
 * @param holdBack      how many characters of a streamed answer are held back so an entity split
 *                      across chunks is still caught; default 128
 * @param scanCache     how much input text (by size) keeps its scan result, so a conversation's
 *                      earlier turns and a repeated system prompt are not scanned again; default 16MiB,
 *                      0 turns it off
 */
public record GuardrailsSpec(List<PolicySpec> policies, List<ResidencySpec> residency, Map<String, CanarySpec> canaries,
                             List<String> phoneRegions, Integer holdBack, DataSize scanCache) {

    public static final GuardrailsSpec DEFAULTS = new GuardrailsSpec(null, null, null, null, null, null);

    public GuardrailsSpec(List<PolicySpec> policies, List<ResidencySpec> residency, Map<String, CanarySpec> canaries,
                          List<String> phoneRegions, Integer holdBack) {
        this(policies, residency, canaries, phoneRegions, holdBack, null);
    }

    public GuardrailsSpec {
        policies = policies != null ? policies : List.of();
        residency = residency != null ? residency : List.of();
        canaries = canaries != null ? canaries : Map.of();
        phoneRegions = phoneRegions != null ? phoneRegions : List.of("DE", "AT", "CH", "US", "GB", "FR", "IT", "ES", "NL",
                "BE", "PL", "SE", "DK", "FI", "NO", "PT", "IE");
        holdBack = holdBack != null ? holdBack : 128;
        scanCache = scanCache != null ? scanCache : new DataSize(16L << 20);
    }

    /**
     * One guardrail.
     *
     * @param name      shown in errors, decisions and metrics
     * @param on        {@code input}, {@code output} or {@code both} (default)
     * @param detect    what to look for: categories (email, phone, iban, credit_card, ip_address,
     *                  date_of_birth, address, national_id, person, secret, prompt_injection, canary),
     *                  {@code personal_data} for all personal categories, {@code canary:<dictionary>}
     * @param action    block, redact, pseudonymize (input only; restored in the answer) or flag
     * @param models    public model names it applies to; empty: all
     * @param teams     teams it applies to; empty: all
     * @param keys      key prefixes it applies to; empty: all
     * @param threshold findings below this confidence (0 to 1) are ignored; default 0.5
     */
    public record PolicySpec(@Required String name, Stage on, @Required List<String> detect, @Required Action action,
                             List<String> models, List<String> teams, List<String> keys, Double threshold) {
        public PolicySpec {
            on = on != null ? on : Stage.BOTH;
            models = models != null ? models : List.of();
            teams = teams != null ? teams : List.of();
            keys = keys != null ? keys : List.of();
            threshold = threshold != null ? threshold : 0.5;
        }
    }

    /**
     * Keeps matching requests on targets that carry all {@code require_labels}. A request matches when
     * its input contains one of {@code detect} (such as {@code personal_data}) or it comes from one of
     * {@code teams}.
     */
    public record ResidencySpec(@Required String name, List<String> detect, List<String> teams,
                                @Required List<String> requireLabels, List<String> models) {
        public ResidencySpec {
            detect = detect != null ? detect : List.of();
            teams = teams != null ? teams : List.of();
            models = models != null ? models : List.of();
        }
    }

    /** Terms listed here and/or read from a file (one per line, UTF-8). */
    public record CanarySpec(List<String> terms, String file) {
        public CanarySpec {
            terms = terms != null ? terms : List.of();
        }
    }

    public enum Stage implements WireName {
        INPUT("input"), OUTPUT("output"), BOTH("both");

        private final String wire;

        Stage(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }

        public boolean input() {
            return this != OUTPUT;
        }

        public boolean output() {
            return this != INPUT;
        }
    }

    public enum Action implements WireName {
        BLOCK("block"), REDACT("redact"), PSEUDONYMIZE("pseudonymize"), FLAG("flag");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }
}
