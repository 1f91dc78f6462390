package dev.fundament.gateway;

import dev.fundament.config.ModelKind;
import dev.fundament.inference.EmbeddingRequest;
import dev.fundament.inference.EmbeddingResult;
import dev.fundament.retrieval.Embedder;
import dev.fundament.routing.Admission;
import dev.fundament.routing.Route;
import dev.fundament.routing.TargetLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Embeddings for company data (chunks being ingested, search queries), through the same routes,
 * fallbacks and admission control as {@code /v1/embeddings}, at batch priority so ingestion waits
 * behind interactive traffic. Not charged to a team: ingestion is the platform's own work.
 */
@ApplicationScoped
public class CollectionEmbeddings implements Embedder {

    /** Inputs per upstream call; OpenAI accepts 2,048, smaller calls fail and retry cheaper. */
    static final int PER_CALL = 256;
    private static final Admission.Ticket TICKET = new Admission.Ticket("fundament-ingestion", true);

    private final GatewayRuntime runtime;

    @Inject
    public CollectionEmbeddings(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<float[]> embed(String model, List<String> texts) {
        Route route = runtime.routes().resolve(model, ModelKind.EMBEDDING);
        awaitLoaded(route);
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += PER_CALL) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + PER_CALL));
            EmbeddingRequest request = new EmbeddingRequest(model, part, null, null, Map.of());
            EmbeddingResult result = TargetLoop.call(route, TICKET, target -> {
                    }, (target, i) -> target.provider().embeddings().orElseThrow().embed(target.upstreamModel(), request))
                    .await().atMost(Duration.ofMinutes(5));
            out.addAll(result.vectors());
        }
        return out;
    }

    /** An in-process model loads in the background at start; ingestion that starts with the server waits for it. */
    private static void awaitLoaded(Route route) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (route.targets().stream().noneMatch(t -> t.provider().ready()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
