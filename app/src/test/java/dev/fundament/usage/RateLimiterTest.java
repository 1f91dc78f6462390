package dev.fundament.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.LimitsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import dev.fundament.testing.Databases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** 20 s into a minute: the window ends in 40 s. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:20Z"), ZoneOffset.UTC);
    private static final Principal ANN = new Principal("ann", false, "sales", Set.of(Role.USER), Set.of(), "key-1",
            "fk-ann", Map.of());

    private static RateLimiter limiter(LimitsSpec.RateSpec perKey, LimitsSpec.RateSpec perTeam) {
        return new RateLimiter(limits(perKey, perTeam), new InProcessLimitCounters(), CLOCK);
    }

    private static RateLimits limits(LimitsSpec.RateSpec perKey, LimitsSpec.RateSpec perTeam) {
        LimitsSpec spec = new LimitsSpec(null, perKey, null, perTeam, null, null, null);
        return new RateLimits(spec, new JdbcLimitStore(Databases.h2()), null, Set.of("sales"), Set.of("gpt"), CLOCK);
    }

    private static RateLimiter.Reservation reserve(RateLimiter limiter, long tokens) {
        return limiter.reserve(ANN, "gpt", tokens).await().atMost(Duration.ofSeconds(2));
    }

    @Test
    void requestLimitRefusesWithRetryAfterAndOpenAiHeaders() {
        RateLimiter limiter = limiter(new LimitsSpec.RateSpec(2, null), null);
        assertThat(reserve(limiter, 10).headers()).containsEntry("x-ratelimit-limit-requests", "2")
                .containsEntry("x-ratelimit-remaining-requests", "1").containsEntry("x-ratelimit-reset-requests", "40s");
        reserve(limiter, 10);
        assertThatThrownBy(() -> reserve(limiter, 10)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED);
            assertThat(e.kind().status()).isEqualTo(429);
            assertThat(e.headers()).containsEntry("Retry-After", "40").containsEntry("x-ratelimit-remaining-requests", "0");
            assertThat(e.getMessage()).contains("key requests per minute: limit 2");
        });
    }

    @Test
    void tokenReservationIsSettledWithRealUsage() {
        RateLimiter limiter = limiter(null, new LimitsSpec.RateSpec(null, 1000));
        RateLimiter.Reservation first = reserve(limiter, 900);
        assertThatThrownBy(() -> reserve(limiter, 200)).hasMessageContaining("team tokens")
                .hasMessageContaining("smaller max_tokens may fit");
        first.settle(150);
        first.settle(150);
        assertThat(reserve(limiter, 800).headers()).containsEntry("x-ratelimit-remaining-tokens", "50");
    }

    @Test
    void anAdminSetLimitReplacesTheConfiguredOneForItsSubjectOnly() {
        RateLimits limits = limits(null, new LimitsSpec.RateSpec(100, null));
        RateLimiter limiter = new RateLimiter(limits, new InProcessLimitCounters(), CLOCK);
        Principal admin = new Principal("root", false, null, Set.of(Role.ADMIN), Set.of(), null, null, Map.of());
        limits.set(admin, "team", "sales", new LimitsSpec.RateSpec(1, null));
        reserve(limiter, 10);
        assertThatThrownBy(() -> reserve(limiter, 10)).hasMessageContaining("team requests per minute: limit 1");
        assertThat(limits.of("team", "hr").requestsPerMinute()).isEqualTo(100);

        limits.clear(admin, "team", "sales");
        assertThat(reserve(limiter, 10).headers()).containsEntry("x-ratelimit-limit-requests", "100");
        assertThatThrownBy(() -> limits.set(new Principal("u", false, "sales", Set.of(Role.TEAM_ADMIN), Set.of(), null,
                null, Map.of()), "team", "sales", LimitsSpec.RateSpec.NONE))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    }

    @Test
    void noLimitsMeansNothingIsCounted() {
        RateLimiter.Reservation r = reserve(limiter(null, null), 1_000_000);
        assertThat(r.headers()).isEmpty();
        r.settle(5);
    }
}
