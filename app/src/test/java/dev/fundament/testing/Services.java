package dev.fundament.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * Servers that some tests talk to (Redis). Without the server such a test is skipped, unless
 * {@code FUNDAMENT_REQUIRE_SERVICES=true} (set by {@code .ci/run}): then it fails.
 */
public final class Services {

    private Services() {
    }

    public static String redisUrl() {
        String url = System.getenv().getOrDefault("FUNDAMENT_TEST_REDIS_URL", "redis://127.0.0.1:6379");
        java.net.URI uri = java.net.URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
        } catch (Exception e) {
            if ("true".equals(System.getenv("FUNDAMENT_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("Redis is required at " + url + " but not reachable", e);
            }
            Assumptions.abort("no Redis at " + url);
        }
        return url;
    }
}
