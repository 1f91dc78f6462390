package dev.fundament.config;

import java.time.Duration;

/**
 * Upstream time limits.
 *
 * @param connect    to open a connection; default 5s
 * @param firstToken from sending the request to the response headers and, for streams, between two
 *                   chunks; default 60s
 * @param total      for a whole non-streamed answer; default 10m
 */
public record TimeoutsSpec(Duration connect, Duration firstToken, Duration total) {

    public static final TimeoutsSpec DEFAULTS = new TimeoutsSpec(null, null, null);

    public TimeoutsSpec {
        connect = connect != null ? connect : Duration.ofSeconds(5);
        firstToken = firstToken != null ? firstToken : Duration.ofSeconds(60);
        total = total != null ? total : Duration.ofMinutes(10);
    }
}
