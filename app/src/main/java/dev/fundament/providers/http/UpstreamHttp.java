package dev.fundament.providers.http;

import dev.fundament.config.ProviderSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One provider's HTTP client: a keep-alive connection pool to its base URL and its timeouts.
 *
 * <p>{@link #post} resolves once the response headers arrive; a non-2xx answer fails with the mapped
 * {@link GatewayException} after reading its (bounded) body. Timeouts: {@code connect} is the pool's;
 * for a whole answer {@code first_token} is the request's idle timeout (the wait for headers and
 * between reads) and {@code total} a timer; a stream has its own clock ({@link StreamClock}) for
 * {@code first_token} (to its first bytes), {@code idle} (between reads) and {@code total}, because a
 * Vert.x request idle timeout stops guarding once the response headers are in. Each runs out as a
 * {@link ErrorKind#UPSTREAM_TIMEOUT} naming its config key.
 * Thread-safe; shared by all requests to the provider.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Calls one HTTP/2 connection carries at once before another is opened (servers commonly allow 100 or more). */
    static final int HTTP2_STREAMS_PER_CONNECTION = 100;

    private final String provider;
    private final Vertx vertx;
    private final HttpClientOptions options;
    private final HttpClient shared;
    private final Map<Thread, HttpClient> perEventLoop = new ConcurrentHashMap<>();
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final long idleTimeoutMs;
    private final Duration firstToken;
    private final Duration idle;
    private final Duration total;

    public UpstreamHttp(Vertx vertx, String provider, ProviderSpec spec) {
        this.provider = provider;
        URI uri = URI.create(spec.baseUrl());
        this.ssl = "https".equals(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.idleTimeoutMs = spec.timeouts().firstToken().toMillis();
        this.firstToken = spec.timeouts().firstToken();
        this.idle = spec.timeouts().idle();
        this.total = spec.timeouts().total();
        this.vertx = vertx;
        this.options = new HttpClientOptions()
                .setDefaultHost(host).setDefaultPort(port).setSsl(ssl).setTrustAll(false).setVerifyHost(ssl)
                .setMaxPoolSize(spec.maxConnections()).setKeepAlive(true).setPipelining(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, spec.timeouts().connect().toMillis()))
                .setMaxWaitQueueSize(-1).setDecompressionSupported(true);
        if (spec.http2()) {
            // Prior knowledge on cleartext, ALPN on TLS; every loop's client keeps its own few connections.
            this.options.setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                    .setUseAlpn(ssl).setHttp2MaxPoolSize(spec.maxConnections()).setHttp2MultiplexingLimit(HTTP2_STREAMS_PER_CONNECTION);
        }
        this.shared = vertx.createHttpClient(options);
    }

    /** @return the provider's name, for error messages */
    public String provider() {
        return provider;
    }

    /** @return the path part of the base URL, without a trailing slash ({@code /v1}) */
    public String basePath() {
        return basePath;
    }

    /** @return the total time limit of a non-streamed call */
    public Duration total() {
        return total;
    }

    /**
     * Sends a POST and resolves with the open response when it is 2xx.
     *
     * @param path    path and query below the base URL, starting with '/'
     * @param headers request headers (content type and credentials included)
     * @param sink    receives the request as soon as it exists, so a caller can abort it
     */
    public Uni<HttpClientResponse> post(String path, Map<String, String> headers, Buffer body,
                                        java.util.function.Consumer<HttpClientRequest> sink) {
        return post(path, headers, body, sink, idleTimeoutMs);
    }

    /** @param idleMs the request's idle timeout, 0 for none (a stream keeps its own clock) */
    private Uni<HttpClientResponse> post(String path, Map<String, String> headers, Buffer body,
                                         java.util.function.Consumer<HttpClientRequest> sink, long idleMs) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setSsl(ssl).setURI(basePath + path).setIdleTimeout(idleMs);
        return client().request(options)
                .onItem().transformToUni(request -> {
                    sink.accept(request);
                    MultiMap h = request.headers();
                    headers.forEach(h::set);
                    return request.send(body);
                })
                .onItem().transformToUni(response -> {
                    if (response.statusCode() / 100 == 2) {
                        return Uni.createFrom().item(response);
                    }
                    return errorBody(response).onItem().transform(text -> {
                        throw UpstreamErrors.fromResponse(provider, response.statusCode(),
                                response.getHeader("Retry-After"), text);
                    });
                })
                .onFailure(f -> !(f instanceof GatewayException))
                .transform(f -> UpstreamErrors.fromFailure(provider, f));
    }

    /** Sends a POST and resolves with the whole 2xx body, within the total timeout. */
    public Uni<Buffer> postForBody(String path, Map<String, String> headers, Buffer body) {
        return Uni.createFrom().deferred(() -> {
            TotalDeadline deadline = new TotalDeadline();
            return post(path, headers, body, deadline::start)
                    .onItem().transformToUni(HttpClientResponse::body)
                    .onFailure(f -> deadline.expired).transform(f -> new GatewayException(ErrorKind.UPSTREAM_TIMEOUT,
                            "Provider '" + provider + "' did not finish within " + total.toMillis()
                                    + " ms; see providers." + provider + ".timeouts.total."))
                    .onFailure(f -> !(f instanceof GatewayException))
                    .transform(f -> UpstreamErrors.fromFailure(provider, f))
                    .onTermination().invoke(deadline::cancel);
        });
    }

    /**
     * The total time limit of one non-streamed call: a timer on the request's own event loop that
     * resets the request when it fires. (A Mutiny {@code ifNoItem} timeout would schedule on a shared
     * executor thread for every request; this stays on the loop, which measurably matters.)
     */
    private final class TotalDeadline {
        private HttpClientRequest request;
        private long timer = -1;
        private boolean expired;

        void start(HttpClientRequest sent) {
            this.request = sent;
            this.timer = vertx.setTimer(total.toMillis(), id -> {
                timer = -1;
                expired = true;
                request.reset();
            });
        }

        void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /**
     * Sends a POST and streams the 2xx body. Demand is passed on (reads pause while the subscriber
     * wants nothing) and cancelling aborts the upstream request. The stream's clock resets the upstream
     * request when a limit runs out, and the stream fails with that limit's timeout.
     */
    public Multi<Buffer> postForStream(String path, Map<String, String> headers, Buffer body) {
        return Multi.createFrom().deferred(() -> {
            StreamClock clock = new StreamClock();
            return post(path, headers, body, clock::start, 0)
                    .onItem().transformToMulti(HttpClientResponse::toMulti)
                    .onRequest().invoke(clock::requested)
                    .onItem().invoke(clock::read)
                    .onCompletion().call(() -> clock.expired != null ? Uni.createFrom().failure(clock.expired)
                            : Uni.createFrom().voidItem())
                    .onFailure(f -> clock.expired != null).transform(f -> clock.expired)
                    .onFailure(f -> !(f instanceof GatewayException)).transform(f -> UpstreamErrors.fromFailure(provider, f))
                    .onCancellation().invoke(clock::abort)
                    .onTermination().invoke(clock::stop);
        });
    }

    /**
     * The time limits of one stream, as one timer on the request's event loop: {@code first_token}
     * from sending to the first bytes, then {@code idle} between reads, and {@code total} over all. The
     * idle clock runs only while the subscriber is waiting for data: a caller that reads slowly pauses
     * the upstream socket, and that silence is ours, not the upstream's. The timer is not reset on
     * every read (that would cost a timer per chunk); when it fires it checks the time of the last read
     * and sleeps again for what is left. Confined to the request's event loop.
     */
    private final class StreamClock {
        private HttpClientRequest request;
        private long timer = -1;
        private long startedAt;
        private long lastRead;
        private boolean anyRead;
        private long demand;
        private boolean stopped;
        private GatewayException expired;

        void start(HttpClientRequest sent) {
            this.request = sent;
            startedAt = System.nanoTime();
            lastRead = startedAt;
            schedule(Math.min(firstToken.toMillis(), total.toMillis()));
        }

        void requested(long n) {
            if (demand == 0) {
                lastRead = System.nanoTime(); // the silence starts now, when we ask for more
            }
            demand = n == Long.MAX_VALUE || demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }

        void read(Buffer bytes) {
            lastRead = System.nanoTime();
            if (demand != Long.MAX_VALUE && demand > 0) {
                demand--;
            }
            if (!anyRead) {
                anyRead = true; // from now on the idle limit applies: re-arm for it rather than for first_token
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                check();
            }
        }

        private void check() {
            timer = -1;
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            long totalLeft = total.toMillis() - (now - startedAt) / 1_000_000;
            if (totalLeft <= 0) {
                expire("did not finish within " + total.toMillis() + " ms; see providers." + provider + ".timeouts.total.");
                return;
            }
            long limit = anyRead ? idle.toMillis() : firstToken.toMillis();
            long silentLeft = limit - (now - lastRead) / 1_000_000;
            boolean waiting = !anyRead || demand > 0;
            if (waiting && silentLeft <= 0) {
                expire(anyRead ? "sent nothing for " + idle.toMillis() + " ms in the middle of a stream; see providers."
                        + provider + ".timeouts.idle."
                        : "sent no first token within " + firstToken.toMillis() + " ms; see providers." + provider
                        + ".timeouts.first_token.");
                return;
            }
            schedule(Math.min(totalLeft, waiting ? silentLeft : limit));
        }

        private void expire(String why) {
            expired = new GatewayException(ErrorKind.UPSTREAM_TIMEOUT, "Provider '" + provider + "' " + why);
            request.reset();
        }

        private void schedule(long millis) {
            timer = vertx.setTimer(Math.max(1, millis), id -> check());
        }

        void abort() {
            if (request != null) {
                request.reset();
            }
        }

        void stop() {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /**
     * An active health check: a GET that must answer 2xx within {@code timeout}.
     *
     * @return completes on a 2xx answer, fails with the reason otherwise
     */
    public Uni<Void> probe(String path, Map<String, String> headers, Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setSsl(ssl)
                .setURI(basePath + path).setTimeout(timeout.toMillis());
        return shared.request(options)
                .onItem().transformToUni(request -> {
                    headers.forEach((name, value) -> {
                        if (!name.equalsIgnoreCase("Content-Type")) {
                            request.headers().set(name, value);
                        }
                    });
                    return request.send();
                })
                .onItem().transformToUni(response -> response.body().onItem().transform(body -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("GET " + basePath + path + " answered HTTP " + response.statusCode());
                    }
                    return (Void) null;
                }));
    }

    private static Uni<String> errorBody(HttpClientResponse response) {
        return response.body()
                .onItem().transform(b -> b.length() > MAX_ERROR_BODY ? b.getString(0, MAX_ERROR_BODY) : b.toString())
                .onFailure().recoverWithItem("");
    }

    /**
     * The client of the calling event loop. A Vert.x connection belongs to the event loop that opened
     * it; a request on loop A over a connection of loop B hops threads twice. One client per loop keeps
     * every upstream exchange on the loop that serves the caller (measured: about +45 % requests per
     * second on two cores, see docs/benchmarks.md). Calls from outside an event loop share one client.
     */
    private HttpClient client() {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            return shared;
        }
        return perEventLoop.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(options));
    }

    @Override
    public void close() {
        shared.closeAndForget();
        perEventLoop.values().forEach(HttpClient::closeAndForget);
    }
}
