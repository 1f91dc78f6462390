package dev.fundament.usage;

import dev.fundament.config.PricingSpec;
import dev.fundament.inference.Usage;
import java.util.Map;

/**
 * Cost of a request from the price table. Cloud models: prompt tokens (cached ones at the cached price)
 * and completion tokens per million. On-prem models: every token at {@code gpu_hour / 3600 /
 * tokens_per_second}. Results in millionths of the currency unit, rounded half up.
 */
public final class Pricing {

    private final Map<String, PricingSpec.PriceSpec> prices;
    private final String currency;

    public Pricing(PricingSpec spec) {
        this.prices = Map.copyOf(spec.models());
        this.currency = spec.currency();
    }

    public String currency() {
        return currency;
    }

    /** @return the cost in micro-units, 0 for a model without a price */
    public long costMicros(String provider, String upstreamModel, Usage usage) {
        PricingSpec.PriceSpec p = provider == null ? null : prices.get(provider + "/" + upstreamModel);
        if (p == null) {
            return 0;
        }
        double units;
        if (p.gpuHour() != null) {
            units = (usage.inputTokens() + usage.outputTokens()) * p.gpuHour() / 3600.0 / p.tokensPerSecond();
        } else {
            double input = p.inputPerMillion() == null ? 0 : p.inputPerMillion();
            double cached = p.cachedInputPerMillion() == null ? input : p.cachedInputPerMillion();
            double output = p.outputPerMillion() == null ? 0 : p.outputPerMillion();
            int uncached = Math.max(0, usage.inputTokens() - usage.cachedTokens());
            units = (uncached * input + usage.cachedTokens() * cached + usage.outputTokens() * output) / 1_000_000.0;
        }
        return Math.round(units * 1_000_000.0);
    }

    /** @return a worst-case cost for a reservation: all tokens at the dearer of the two prices */
    public long maxCostMicros(String provider, String upstreamModel, long tokens) {
        PricingSpec.PriceSpec p = provider == null ? null : prices.get(provider + "/" + upstreamModel);
        if (p == null) {
            return 0;
        }
        if (p.gpuHour() != null) {
            return Math.round(tokens * p.gpuHour() / 3600.0 / p.tokensPerSecond() * 1_000_000.0);
        }
        double dearer = Math.max(p.inputPerMillion() == null ? 0 : p.inputPerMillion(),
                p.outputPerMillion() == null ? 0 : p.outputPerMillion());
        return Math.round(tokens * dearer);
    }
}
