package dev.fundament.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The header deadline of one connection, once it has sent its first request: a connection with no
 * request being answered must complete a request's headers within {@code fundament.http.header-timeout}
 * of the end of its last answer, or it is closed. A deadline, not an idle timeout: bytes trickled
 * into a header block do not move it (a client sending one header byte every few seconds was kept
 * forever), and neither do HTTP/2 pings or settings.
 * <p>
 * Before its first request a connection is held to the same deadline by Vert.x's own idle handler
 * (see {@link HttpLimits}). Vert.x offers no hook at connection open, so this handler is put on the
 * pipeline by the first request, right behind that idle handler, and from then on filters its
 * events: writer-idle ones are dropped (this handler keeps the deadline), all-idle ones (quiet both
 * ways for the header timeout) pass while nothing is being answered, and while something is, only
 * once the connection has been silent for {@link #ANSWER_IDLE}. (Before its first stream an HTTP/2
 * client can put the deadline off by pinging, as each ping is answered and the writer-idle timeout
 * starts again; after it, not.)
 * <p>
 * Cost on the request path: one channel attribute lookup, an increment when a request's headers are
 * in and a decrement when its answer ends. No timer is scheduled or cancelled per request: one check
 * per connection runs every header timeout while requests are being answered and then sleeps until
 * the deadline. All state is confined to the connection's event loop; calls from other threads hop
 * onto it.
 */
final class HeaderDeadline extends ChannelInboundHandlerAdapter implements Runnable, Handler<AsyncResult<Void>> {

    private static final Logger LOG = Logger.getLogger(HeaderDeadline.class);
    private static final AttributeKey<HeaderDeadline> KEY = AttributeKey.valueOf(HeaderDeadline.class, "deadline");
    static final String NAME = "fundament-header-deadline";
    /** Vert.x's name for its idle handler on every HTTP connection's pipeline. */
    static final String VERTX_IDLE = "idle";

    /** How long a connection may stay silent both ways while its request is being answered (Quarkus's default idle timeout). */
    static final Duration ANSWER_IDLE = Duration.ofMinutes(30);
    private static final long ANSWER_IDLE_NANOS = ANSWER_IDLE.toNanos();

    private final Channel channel;
    private final EventExecutor loop;
    private final long timeoutNanos;
    /** Requests (HTTP/2: streams) whose headers are in and whose answers have not ended. */
    private int answering;
    /** When {@link #answering} last fell to zero: the deadline counts from here. */
    private long quietSince;
    private ScheduledFuture<?> check;
    /** When the current silence both ways began, from Vert.x's all-idle events. */
    private long silentSince;

    private HeaderDeadline(Channel channel, long timeoutNanos) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * The deadline of the connection a request arrived on, put on its pipeline at its first request;
     * null if the connection is not a Netty one (then nothing is enforced beyond Vert.x's timeouts).
     */
    static HeaderDeadline of(HttpConnection connection, long timeoutMillis) {
        if (!(connection instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            return null;
        }
        Channel channel = base.channel();
        HeaderDeadline deadline = channel.attr(KEY).get();
        if (deadline == null) {
            deadline = new HeaderDeadline(channel, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            HeaderDeadline raced = channel.attr(KEY).setIfAbsent(deadline);
            if (raced != null) {
                return raced;
            }
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(VERTX_IDLE) != null) {
                pipeline.addAfter(VERTX_IDLE, NAME, deadline);
            } else {
                pipeline.addFirst(NAME, deadline);
            }
        }
        return deadline;
    }

    /** A request's headers are in: no deadline while it is being answered. */
    void enter() {
        if (loop.inEventLoop()) {
            answering++;
        } else {
            loop.execute(this::enter);
        }
    }

    /** A request's answer has ended (or its stream was reset): the deadline starts when none is left. */
    void leave() {
        if (loop.inEventLoop()) {
            if (--answering == 0) {
                quietSince = System.nanoTime();
            }
        } else {
            loop.execute(this::leave);
        }
    }

    /** As a routing context's end handler: the answer has ended, or its connection or stream closed. */
    @Override
    public void handle(AsyncResult<Void> ended) {
        leave();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        quietSince = System.nanoTime();
        check = loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        check.cancel(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        check.cancel(false);
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                return; // the header deadline before the first request; this handler keeps it now
            }
            if (idle.state() == IdleState.ALL_IDLE && answering > 0) {
                long now = System.nanoTime();
                if (idle.isFirst()) {
                    silentSince = now - timeoutNanos;
                }
                if (now - silentSince < ANSWER_IDLE_NANOS) {
                    return; // an answer may take its time
                }
            }
        }
        super.userEventTriggered(ctx, event);
    }

    /** The periodic check, on the event loop. */
    @Override
    public void run() {
        if (!channel.isActive()) {
            return;
        }
        long next = timeoutNanos;
        if (answering == 0) {
            next = timeoutNanos - (System.nanoTime() - quietSince);
            if (next <= 0) {
                LOG.debugf("Closing connection from %s: no request headers within %d ms (fundament.http.header-timeout)",
                        channel.remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                channel.close(); // through the whole pipeline, so an HTTP/2 connection says GOAWAY first
                return;
            }
        }
        check = loop.schedule(this, next, TimeUnit.NANOSECONDS);
    }
}
