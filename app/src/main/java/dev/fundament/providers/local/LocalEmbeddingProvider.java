package dev.fundament.providers.local;

import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.inference.Usage;
import dev.fundament.providers.EmbeddingProvider;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;

import dev.langchain4j.model.output.Response;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * bge-small-en-v1.5 (quantized), run in-process by ONNX Runtime: LangChain4j's packaged model file in a
 * session of one thread per inference ({@link BgeSmallModel}).
 *
 * <p>Inference is CPU-bound, so it never runs on an event loop: each request's inputs go as one batch
 * to a caller pool, and the model spreads a batch's texts across a second pool sized to the cores. Two
 * pools, because a batch waits for its texts: on one pool, concurrent batches could wait on each other.
 * The ONNX session is thread-safe, so concurrent requests share one model. Texts longer than the
 * model's 512-token window are embedded in windows whose vectors are averaged (LangChain4j's
 * behaviour), so nothing is silently cut off.
 */
final class LocalEmbeddingProvider implements EmbeddingProvider {

    static final String MODEL = "bge-small-en-v1.5";
    static final int DIMENSIONS = 384;
    /** The most inputs one request may carry, as OpenAI allows. */
    static final int MAX_INPUTS = 2048;

    private static final Logger LOG = Logger.getLogger(LocalEmbeddingProvider.class);
    private static volatile LocalEmbeddingProvider shared;

    private final ExecutorService pool;
    private final ExecutorService callers;
    private final CompletableFuture<BgeSmallModel> model;

    private LocalEmbeddingProvider() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fundament-local-model-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.callers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fundament-local-embed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.model = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            BgeSmallModel m = new BgeSmallModel(pool);
            m.embed("warm up");
            LOG.infof("In-process embedding model %s loaded in %d ms", MODEL, (System.nanoTime() - start) / 1_000_000);
            return m;
        }, pool);
    }

    static LocalEmbeddingProvider shared() {
        LocalEmbeddingProvider p = shared;
        if (p == null) {
            synchronized (LocalEmbeddingProvider.class) {
                p = shared;
                if (p == null) {
                    p = new LocalEmbeddingProvider();
                    shared = p;
                }
            }
        }
        return p;
    }

    boolean ready() {
        return model.isDone() && !model.isCompletedExceptionally();
    }

    @Override
    public Uni<EmbeddingResult> embed(String upstreamModel, EmbeddingRequest request) {
        if (!MODEL.equals(upstreamModel)) {
            return Uni.createFrom().failure(new GatewayException(ErrorKind.MODEL_NOT_FOUND, "The in-process provider has no model '"
                    + upstreamModel + "'. Available: " + MODEL + ".", "model"));
        }
        if (request.inputs().isEmpty()) {
            return Uni.createFrom().failure(new GatewayException(ErrorKind.UNSUPPORTED_PARAMETER,
                    "The in-process model embeds text only; send 'input' as a string or an array of strings.", "input"));
        }
        if (request.inputs().size() > MAX_INPUTS) {
            return Uni.createFrom().failure(new GatewayException(ErrorKind.INVALID_REQUEST, "'input' has "
                    + request.inputs().size() + " items; at most " + MAX_INPUTS + " are allowed per request.", "input"));
        }
        if (request.dimensions() != null && request.dimensions() != DIMENSIONS) {
            return Uni.createFrom().failure(new GatewayException(ErrorKind.UNSUPPORTED_PARAMETER, "Model "
                    + MODEL + " produces " + DIMENSIONS + " dimensions and cannot shorten them; omit 'dimensions' or set it to "
                    + DIMENSIONS + ".", "dimensions"));
        }
        if (!ready()) {
            return Uni.createFrom().failure(new GatewayException(ErrorKind.NOT_READY, "The in-process model " + MODEL
                    + " is still loading; retry in a few seconds.", null, java.util.Map.of("Retry-After", "2")));
        }
        List<TextSegment> segments = new ArrayList<>(request.inputs().size());
        for (String input : request.inputs()) {
            segments.add(TextSegment.from(input.isEmpty() ? " " : input));
        }
        BgeSmallModel m = model.join();
        return Uni.createFrom().completionStage(CompletableFuture.supplyAsync(() -> m.embedAll(segments), callers))
                .onItem().transform(LocalEmbeddingProvider::result);
    }

    private static EmbeddingResult result(Response<List<Embedding>> response) {
        List<float[]> vectors = new ArrayList<>(response.content().size());
        for (Embedding e : response.content()) {
            vectors.add(e.vector());
        }
        int tokens = response.tokenUsage() != null && response.tokenUsage().inputTokenCount() != null
                ? response.tokenUsage().inputTokenCount() : 0;
        return new EmbeddingResult("local/" + MODEL, vectors, new Usage(tokens, 0, 0, 0, false));
    }
}
