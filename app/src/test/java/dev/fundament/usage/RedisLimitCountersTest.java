package dev.fundament.usage;

import dev.fundament.testing.Services;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisLimitCountersTest extends LimitCountersContract {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Override
    LimitCounters create() {
        return new RedisLimitCounters(vertx, Services.redisUrl(), "fundament-test:");
    }
}
