package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.LimitsSpec;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LimitStore} must do; each implementation's test extends this. */
abstract class LimitStoreContract {

    private static final Instant AT = Instant.parse("2026-11-26T08:00:00Z");

    LimitStore store;

    abstract LimitStore create();

    @BeforeEach
    void setUp() {
        store = create();
    }

    @Test
    void putReplacesOneSubjectAndKeepsUnlimitedFieldsNull() {
        store.put(new LimitOverride("team", "sales", "sales", new LimitsSpec.RateSpec(10, 5_000), AT, "root"));
        store.put(new LimitOverride("key", "k-1", "sales", new LimitsSpec.RateSpec(null, 700), AT, "lead"));
        store.put(new LimitOverride("team", "sales", "sales", new LimitsSpec.RateSpec(20, null), AT.plusSeconds(5), "root"));

        assertThat(store.all()).containsExactly(
                new LimitOverride("key", "k-1", "sales", new LimitsSpec.RateSpec(null, 700), AT, "lead"),
                new LimitOverride("team", "sales", "sales", new LimitsSpec.RateSpec(20, null), AT.plusSeconds(5), "root"));
    }

    @Test
    void removeSaysWhetherThereWasARow() {
        store.put(new LimitOverride("model", "gpt-4o", null, new LimitsSpec.RateSpec(1, 1), AT, "root"));
        assertThat(store.remove("model", "gpt-4o")).isTrue();
        assertThat(store.remove("model", "gpt-4o")).isFalse();
        assertThat(store.all()).isEmpty();
    }
}
