package dev.fundament.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test embedding model: each word's hash picks one of 256 dimensions, so texts sharing words have
 * similar vectors, deterministically and without loading a model. Counts the texts it embedded.
 */
public final class WordHashEmbedder implements Embedder {

    public final AtomicInteger texts = new AtomicInteger();
    public final AtomicInteger calls = new AtomicInteger();
    public volatile boolean failing;

    @Override
    public List<float[]> embed(String model, List<String> inputs) {
        if (failing) {
            throw new IllegalStateException("the embedding service is down");
        }
        calls.incrementAndGet();
        texts.addAndGet(inputs.size());
        List<float[]> out = new ArrayList<>();
        for (String text : inputs) {
            float[] v = new float[256];
            for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!w.isEmpty()) {
                    v[Math.floorMod(w.hashCode(), 256)] += 1;
                }
            }
            v[255] += 0.01f; // never the zero vector
            out.add(v);
        }
        return out;
    }
}
