package dev.fundament.providers;

import dev.fundament.inference.ChatChunk;
import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.ChatResult;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Chat completions against one upstream.
 *
 * <p>Contract of {@link #stream}: the returned {@link Multi} is cold (nothing is sent before it is
 * subscribed), honours demand (upstream reads pause while the subscriber has not requested more),
 * aborts the upstream request when cancelled, ends with a chunk carrying {@link ChatChunk#usage()} when
 * the upstream reports usage, and fails with a {@link dev.fundament.error.GatewayException}: of
 * {@link dev.fundament.error.ErrorKind#STREAM_INTERRUPTED} once a chunk has been emitted, of the
 * upstream's mapped kind before that.
 */
public interface ChatProvider {

    /** @param upstreamModel the model name the upstream knows (an Azure deployment name for Azure) */
    Uni<ChatResult> chat(String upstreamModel, ChatRequest request);

    Multi<ChatChunk> stream(String upstreamModel, ChatRequest request);
}
