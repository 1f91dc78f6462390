package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.PricingSpec;
import dev.fundament.inference.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {

    private final Pricing pricing = new Pricing(new PricingSpec("EUR", Map.of(
            "openai/gpt-4o-mini", new PricingSpec.PriceSpec(0.15, 0.60, 0.075, null, null),
            "vllm/llama", new PricingSpec.PriceSpec(null, null, null, 3.60, 1000.0))));

    @Test
    void cloudTokensAtTheirPricesWithCachedPromptsCheaper() {
        // 1,000,000 prompt tokens of which 400,000 cached, 100,000 completion tokens:
        // 600,000 × 0.15/M + 400,000 × 0.075/M + 100,000 × 0.60/M = 0.09 + 0.03 + 0.06 = 0.18
        assertThat(pricing.costMicros("openai", "gpt-4o-mini", new Usage(1_000_000, 100_000, 400_000, 0, false)))
                .isEqualTo(180_000);
    }

    @Test
    void onPremFromGpuHourAndThroughput() {
        // 3.60 per hour at 1,000 tokens/s = 0.000001 per token; 5,000 tokens = 0.005
        assertThat(pricing.costMicros("vllm", "llama", new Usage(3_000, 2_000, 0, 0, false))).isEqualTo(5_000);
    }

    @Test
    void unpricedModelsCostNothingAndReservationsUseTheDearerPrice() {
        assertThat(pricing.costMicros("openai", "unknown", new Usage(10, 10, 0, 0, false))).isZero();
        assertThat(pricing.maxCostMicros("openai", "gpt-4o-mini", 1_000)).isEqualTo(600);
    }
}
