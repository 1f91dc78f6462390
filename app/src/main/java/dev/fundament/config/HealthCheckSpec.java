package dev.fundament.config;

import java.time.Duration;

/**
 * An active health check: a GET to the provider every {@code interval}; while it fails, the
 * provider's targets are skipped as if their circuit breakers were open.
 *
 * @param path     below the base URL; default {@code /models}
 * @param interval default 10s
 * @param timeout  default 2s
 */
public record HealthCheckSpec(String path, Duration interval, Duration timeout) {

    public HealthCheckSpec {
        path = path != null ? path : "/models";
        interval = interval != null ? interval : Duration.ofSeconds(10);
        timeout = timeout != null ? timeout : Duration.ofSeconds(2);
    }
}
