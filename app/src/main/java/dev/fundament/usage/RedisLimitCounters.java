package dev.fundament.usage;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Counters in Redis, shared by every instance. One Lua script checks all of a request's counters and
 * adds to them, or to none, atomically in Redis, so a limit is exact however many instances admit
 * requests at once. Each key expires its charge's TTL after its last change; a missing key starts at
 * its charge's base. Counters of one request
 * must live on one Redis node (plain Redis or a primary with replicas, not a cluster).
 */
public final class RedisLimitCounters implements LimitCounters {

    static final String ACQUIRE = """
            local n = #KEYS
            local totals = {}
            for i = 1, n do
              local now = tonumber(redis.call('GET', KEYS[i]) or ARGV[3 * n + i])
              local amount = tonumber(ARGV[i])
              if now + amount > tonumber(ARGV[n + i]) then
                return {0, i, now}
              end
              totals[i] = now + amount
            end
            for i = 1, n do
              redis.call('SET', KEYS[i], totals[i], 'EX', ARGV[2 * n + i])
            end
            return {1, 0, unpack(totals)}
            """;
    private static final String ADJUST = """
            local n = #KEYS
            for i = 1, n do
              local now = tonumber(redis.call('GET', KEYS[i]) or ARGV[3 * n + i])
              redis.call('SET', KEYS[i], now + tonumber(ARGV[i]), 'EX', ARGV[2 * n + i])
            end
            return 1
            """;

    private final Redis redis;
    private final String prefix;

    /** @param prefix prepended to every key, to share a Redis between deployments */
    public RedisLimitCounters(Vertx vertx, String url, String prefix) {
        this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(32)
                .setMaxPoolWaiting(10_000));
        this.prefix = prefix;
    }

    @Override
    public Uni<Admission> tryAcquire(List<Charge> charges) {
        Request eval = script(ACQUIRE, charges);
        return send(eval).onItem().transform(r -> {
            if (r.get(0).toInteger() == 1) {
                long[] totals = new long[charges.size()];
                for (int i = 0; i < totals.length; i++) {
                    totals[i] = r.get(i + 2).toLong();
                }
                return new Admission(true, -1, totals);
            }
            int rejected = r.get(1).toInteger() - 1;
            long[] totals = new long[charges.size()];
            totals[rejected] = r.get(2).toLong();
            return new Admission(false, rejected, totals);
        });
    }

    @Override
    public Uni<Void> adjust(List<Charge> charges) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return send(script(ADJUST, charges)).replaceWithVoid();
    }

    private Request script(String lua, List<Charge> charges) {
        Request eval = Request.cmd(Command.EVAL).arg(lua).arg(charges.size());
        for (Charge c : charges) {
            eval.arg(prefix + c.counter());
        }
        for (Charge c : charges) {
            eval.arg(c.amount());
        }
        for (Charge c : charges) {
            eval.arg(c.limit());
        }
        for (Charge c : charges) {
            eval.arg(c.ttlSeconds());
        }
        for (Charge c : charges) {
            eval.arg(c.base());
        }
        return eval;
    }

    private Uni<Response> send(Request request) {
        return Uni.createFrom().completionStage(() -> redis.send(request).toCompletionStage());
    }

    @Override
    public void close() {
        redis.close();
    }
}
