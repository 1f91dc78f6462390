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
 * Prompt injection and jailbreak attempts, judged by a logistic-regression model over hashed
 * character n-grams ({@link InjectionFeatures}). A text is as suspicious as its most suspicious window
 * of at most {@value InjectionFeatures#WINDOW} characters, so a long benign prompt does not add up to
 * an attack while an attack hidden in a long document is still seen ({@link InjectionScan}). The
 * bundled model is trained from the labelled sets by {@code ./fundament eval train-injection}
 * (reproducible: a convex objective minimised to convergence) and ships as
 * {@code guardrails/injection.model}. Scoring a 2 KB prompt takes tens of microseconds. The score is
 * the model's probability mapped so that its trained decision threshold becomes 0.5, the default
 * threshold of policies.
 */
public final class InjectionClassifier implements Detector {

    private static final int MAGIC = 0x46494e32; // "FIN2": weights for windows (models for whole texts were "FINJ")
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

    /** @return the model's probability that the text's most suspicious window is an injection or jailbreak */
    public double probability(String text) {
        double z = InjectionScan.maxLogit(InjectionFeatures.joined(text), weights, bias);
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
            throw new IOException("not a prompt-injection model of this version (retrain it with fundament eval train-injection)");
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
