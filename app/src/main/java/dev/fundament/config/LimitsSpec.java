package dev.fundament.config;

import java.util.Map;

/**
 * Rate limits, counted per minute. Every scope that has a limit applies to a request: its key, its
 * user, its team and its model; a request must fit all of them.
 *
 * @param counters where the counters live: in this process (default) or in Redis, so that limits hold
 *                 exactly across instances
 * @param perKey   the limit of each key; default none
 * @param perUser  the limit of each user (all of a user's keys together); default none
 * @param perTeam  the limit of each team; default none
 * @param perModel the limit of each public model name, over all callers; default none
 * @param teams    per-team overrides of {@code per_team}, by team id
 * @param models   per-model overrides of {@code per_model}, by public model name
 */
public record LimitsSpec(CountersSpec counters, RateSpec perKey, RateSpec perUser, RateSpec perTeam, RateSpec perModel,
                         Map<String, RateSpec> teams, Map<String, RateSpec> models) {

    public static final LimitsSpec DEFAULTS = new LimitsSpec(null, null, null, null, null, null, null);

    public LimitsSpec {
        counters = counters != null ? counters : CountersSpec.DEFAULTS;
        perKey = perKey != null ? perKey : RateSpec.NONE;
        perUser = perUser != null ? perUser : RateSpec.NONE;
        perTeam = perTeam != null ? perTeam : RateSpec.NONE;
        perModel = perModel != null ? perModel : RateSpec.NONE;
        teams = teams != null ? teams : Map.of();
        models = models != null ? models : Map.of();
    }

    /**
     * @param requestsPerMinute requests admitted per minute; {@code null}: unlimited
     * @param tokensPerMinute   prompt plus completion tokens per minute; {@code null}: unlimited
     */
    public record RateSpec(Integer requestsPerMinute, Integer tokensPerMinute) {
        public static final RateSpec NONE = new RateSpec(null, null);
    }

    /**
     * @param type {@code in-process} (default) or {@code redis}
     * @param url  for redis: {@code redis://host:6379} (a secret reference such as {@code env:REDIS_URL} works)
     */
    public record CountersSpec(CountersType type, String url) {
        public static final CountersSpec DEFAULTS = new CountersSpec(null, null);

        public CountersSpec {
            type = type != null ? type : CountersType.IN_PROCESS;
        }
    }

    /** Where limit counters live. */
    public enum CountersType implements WireName {
        IN_PROCESS("in-process"), REDIS("redis");

        private final String wire;

        CountersType(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }
}
