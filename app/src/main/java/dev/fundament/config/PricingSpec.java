package dev.fundament.config;

import java.util.Map;

/**
 * What tokens cost, for the ledger and budgets.
 *
 * @param currency ISO code shown in reports; default EUR
 * @param models   prices by {@code <provider>/<upstream model>}; a model without a price costs 0
 */
public record PricingSpec(String currency, Map<String, PriceSpec> models) {

    public static final PricingSpec DEFAULTS = new PricingSpec(null, null);

    public PricingSpec {
        currency = currency != null ? currency : "EUR";
        models = models != null ? models : Map.of();
    }

    /**
     * A model's price: either per million tokens (cloud) or from the GPU's hourly cost and measured
     * throughput (on-prem: each token costs {@code gpu_hour / 3600 / tokens_per_second}).
     *
     * @param inputPerMillion       per million prompt tokens
     * @param outputPerMillion      per million completion tokens
     * @param cachedInputPerMillion per million cached prompt tokens; default the input price
     * @param gpuHour               on-prem: the GPU server's cost per hour
     * @param tokensPerSecond       on-prem: its measured throughput, prompt and completion tokens together
     */
    public record PriceSpec(Double inputPerMillion, Double outputPerMillion, Double cachedInputPerMillion,
                            Double gpuHour, Double tokensPerSecond) {
    }
}
