package dev.fundament.config;

import java.util.Map;

/**
 * What AI saves, for the ROI report: per use-case tag (a key's {@code use_case} metadata), the minutes
 * of work one request saves, valued at an hourly rate.
 *
 * @param hourlyRate the value of one hour of work, in the pricing currency; default 0
 * @param useCases   minutes saved per request, by use-case tag
 */
public record RoiSpec(Double hourlyRate, Map<String, UseCaseSpec> useCases) {

    public static final RoiSpec DEFAULTS = new RoiSpec(null, null);

    public RoiSpec {
        hourlyRate = hourlyRate != null ? hourlyRate : 0.0;
        useCases = useCases != null ? useCases : Map.of();
    }

    /** @param minutesSavedPerRequest work one request saves, in minutes */
    public record UseCaseSpec(@Required Double minutesSavedPerRequest) {
    }
}
