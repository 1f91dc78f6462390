package dev.fundament.guardrails.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Prompt injection and jailbreak attempts, judged on a whole text by a logistic-regression model over
 * hashed character n-grams ({@link InjectionFeatures}). The bundled model is trained from the
 * labelled sets by {@code ./fundament eval train-injection} (reproducible: a convex objective
 * minimised to convergence) and ships as {@code guardrails/injection.model}. Scoring a 2 KB prompt takes tens
 * of microseconds. The score is the model's probability mapped so that its trained decision
 * threshold becomes 0.5, the default threshold of policies.
 */
public final class InjectionClassifier implements Detector {

    private static final int MAGIC = 0x46494e4a; // "FINJ"
    private static final String RESOURCE = "guardrails/injection.model";

    private final InjectionFeatures features;
    private final float[] weights;
    private final float bias;
    private final float threshold;

    public InjectionClassifier(InjectionFeatures features, float[] weights, float bias, float threshold) {
        this.features = features;
        this.weights = weights;
        this.bias = bias;
        this.threshold = threshold;
    }

    /** @return the model that ships with Fundament */
    public static InjectionClassifier bundled() {
        try (InputStream in = InjectionClassifier.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the prompt-injection model " + RESOURCE + " is missing from the build");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the prompt-injection model", e);
        }
    }

    @Override
    public String name() {
        return "injection_classifier";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.PROMPT_INJECTION);
    }

    /** @return the model's probability that the text is an injection or jailbreak */
    public double probability(String text) {
        InjectionFeatures.Vector v = features.vector(text);
        double z = bias;
        int[] slots = v.slots();
        float[] values = v.values();
        for (int k = 0; k < slots.length; k++) {
            z += weights[slots[k]] * values[k];
        }
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    public void detect(String text, List<Finding> out) {
        double p = probability(text);
        if (p >= threshold) {
            double score = 0.5 + 0.5 * (p - threshold) / Math.max(1e-9, 1 - threshold);
            out.add(new Finding(Category.PROMPT_INJECTION, name(), 0, text.length(), Math.min(1.0, score)));
        }
    }

    /** Writes the model: a header, then every weight (gzip-compressed). */
    public void write(OutputStream stream) throws IOException {
        java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(stream);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(gzip));
        out.writeInt(MAGIC);
        out.writeInt(features.bits());
        out.writeFloat(bias);
        out.writeFloat(threshold);
        for (float w : weights) {
            out.writeFloat(w);
        }
        out.flush();
        gzip.finish();
    }

    public static InjectionClassifier read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(new java.util.zip.GZIPInputStream(stream)));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a prompt-injection model");
        }
        int bits = in.readInt();
        float bias = in.readFloat();
        float threshold = in.readFloat();
        float[] weights = new float[1 << bits];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = in.readFloat();
        }
        return new InjectionClassifier(new InjectionFeatures(bits), weights, bias, threshold);
    }

    public float threshold() {
        return threshold;
    }
}
