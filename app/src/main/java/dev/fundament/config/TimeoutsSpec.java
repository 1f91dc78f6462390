package dev.fundament.config;

import java.time.Duration;

/**
 * Upstream time limits. Each holds for streamed and whole answers alike; a limit that runs out
 * before the caller saw anything is an HTTP 504, after the first chunk of a stream it ends the stream
 * with an error event.
 *
 * @param connect    to open a connection; default 5s
 * @param firstToken from sending the request to the response headers and, for a stream, to its first
 *                   bytes; default 60s
 * @param idle       for a stream, the longest silence between two chunks once it has started (time
 *                   that Fundament's own caller takes to read does not count); default 60s
 * @param total      for a whole answer, streamed or not, from sending the request to its end; default 10m
 */
public record TimeoutsSpec(Duration connect, Duration firstToken, Duration idle, Duration total) {

    public static final TimeoutsSpec DEFAULTS = new TimeoutsSpec(null, null, null, null);

    public TimeoutsSpec {
        connect = connect != null ? connect : Duration.ofSeconds(5);
        firstToken = firstToken != null ? firstToken : Duration.ofSeconds(60);
        idle = idle != null ? idle : Duration.ofSeconds(60);
        total = total != null ? total : Duration.ofMinutes(10);
    }
}
