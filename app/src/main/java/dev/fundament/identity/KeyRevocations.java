package dev.fundament.identity;

import dev.fundament.config.Configuration;
import dev.fundament.config.LimitsSpec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Makes a revoked or rotated key stop working at once everywhere. This instance drops the key from its
 * authentication cache; when instances share Redis ({@code limits.counters.type: redis}), the key's
 * hash is also published on a Redis channel every instance listens to, so theirs drop it too instead
 * of trusting their cache for up to {@value Authenticator#CACHE_SECONDS} seconds. Only the SHA-256
 * hash travels, never the key.
 */
@ApplicationScoped
public class KeyRevocations {

    static final String CHANNEL = "fundament:key-revoked";
    private static final Logger LOG = Logger.getLogger(KeyRevocations.class);

    private final Authenticator authenticator;
    private final Vertx vertx;
    private final String url;
    private Redis publisher;
    private Redis subscriber;
    private volatile boolean running;

    @Inject
    public KeyRevocations(Authenticator authenticator, Configuration configuration, Vertx vertx) {
        this(authenticator, vertx, configuration.spec().limits().counters().type() == LimitsSpec.CountersType.REDIS
                ? configuration.get().secret("limits.counters.url") : null);
    }

    KeyRevocations(Authenticator authenticator, Vertx vertx, String url) {
        this.authenticator = authenticator;
        this.vertx = vertx;
        this.url = url;
    }

    void start(@Observes StartupEvent event) {
        if (url == null) {
            return;
        }
        running = true;
        publisher = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        subscriber = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        subscribe();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (subscriber != null) {
            subscriber.close();
            publisher.close();
        }
    }

    /** The key with this hash was revoked or replaced: forget it here and tell the other instances. */
    void revoked(String hash) {
        authenticator.evict(hash);
        if (publisher != null) {
            publisher.send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(hash))
                    .onFailure(e -> LOG.warnf("Other instances could not be told of a revoked key (%s); they stop"
                            + " accepting it within %d s", e.getMessage(), Authenticator.CACHE_SECONDS));
        }
    }

    private void subscribe() {
        subscriber.connect().onSuccess(connection -> {
            connection.handler(this::message);
            connection.exceptionHandler(e -> resubscribe(connection));
            connection.endHandler(v -> resubscribe(connection));
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
                    .onFailure(e -> resubscribe(connection));
        }).onFailure(e -> {
            LOG.warnf("Cannot listen for revoked keys on Redis (%s); retrying in a second", e.getMessage());
            retryLater();
        });
    }

    private void message(Response message) {
        if (message.size() == 3 && "message".equals(message.get(0).toString()) && CHANNEL.equals(message.get(1).toString())) {
            authenticator.evict(message.get(2).toString());
        }
    }

    private void resubscribe(RedisConnection connection) {
        connection.close();
        retryLater();
    }

    private void retryLater() {
        if (running) {
            vertx.setTimer(1_000, id -> {
                if (running) {
                    subscribe();
                }
            });
        }
    }
}
