package dev.fundament.guardrails.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.guardrails.detect.InjectionClassifier;
import dev.fundament.guardrails.detect.InjectionFeatures;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./fundament eval train-injection --data DIR --out FILE}: trains the bundled prompt-injection
 * model from the dev parts of the labelled sets and writes it. Positives: deepset prompt injections
 * and in-the-wild jailbreaks. Negatives: deepset benign prompts, XSTest's safe prompts (harmless
 * requests that sound alarming) and the sentences of the synthetic PII set (ordinary customer and
 * business requests full of names and numbers, what a company gateway mostly sees).
 *
 * <p>Logistic regression with L2 regularisation (λ = {@value #LAMBDA}), each group of examples
 * carrying the same total weight, minimised to convergence with L-BFGS; the objective is convex, so
 * the same data always gives the same model. The model is trained on what it judges: each window of a
 * text ({@link InjectionFeatures#vectors}) is an example, carrying an equal share of its text's
 * weight, and a text's score is its highest window's.
 *
 * <p>Length is kept out of the n-gram weights. In these sets every long text is a jailbreak and the
 * benign rows are short questions, so a plain fit learns "much English prose" as evidence of an attack:
 * common n-grams ({@code "nd "}, {@code "e a"}) get positive weights and any long business prompt,
 * email or article scores as one. Training therefore gives the model one more, all but unpenalised
 * input, the window's L1 norm (about the square root of its number of n-grams), which soaks up that
 * correlation; it is left out of the saved model, so inference judges a window by what its n-grams
 * say, not by how many there are. This costs recall where length was a real clue (deepset's
 * injections are benign questions with an attack appended, so longer than its benign rows).
 *
 * <p>The decision threshold is the lowest that flags at most
 * {@value #TARGET_FALSE_POSITIVES} of each group of negatives, read from 5-fold out-of-fold scores. Before
 * writing, a 5-fold cross-validation of the whole procedure (threshold chosen inside each training
 * fold) estimates how it does on prompts it has not seen; that estimate, not the fit, is what
 * docs/guardrails.md reports.
 */
public final class InjectionTrainer {

    static final int BITS = 18;
    static final double LAMBDA = 1e-4;
    static final double LENGTH_LAMBDA = 1e-6;
    static final double TARGET_FALSE_POSITIVES = 0.03;
    static final int MAX_ITERATIONS = 150;

    record Example(String text, int label, String group) {
    }

    private final InjectionFeatures features = new InjectionFeatures(BITS);
    private final Map<String, List<InjectionFeatures.Vector>> cache = new java.util.HashMap<>();

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path data = null;
        Path target = null;
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--data")) {
                data = Path.of(args.get(++i));
            } else if (args.get(i).equals("--out")) {
                target = Path.of(args.get(++i));
            }
        }
        if (data == null || target == null) {
            err.println("Usage: fundament eval train-injection --data DIR --out app/src/main/resources/guardrails/injection.model");
            return 64;
        }
        try {
            InjectionTrainer trainer = new InjectionTrainer();
            List<Example> examples = load(data, "dev");
            trainer.crossValidate(examples, out);
            InjectionClassifier model = trainer.train(examples);
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try (OutputStream file = Files.newOutputStream(target)) {
                model.write(file);
            }
            out.printf(Locale.ROOT, "Wrote %s (%d bytes, threshold %.4f) from %d examples.%n", target, Files.size(target),
                    model.threshold(), examples.size());
            return 0;
        } catch (IOException e) {
            err.println("Cannot train: " + e.getMessage());
            return 66;
        }
    }

    static List<Example> load(Path data, String split) throws IOException {
        List<Example> examples = new ArrayList<>();
        for (JsonNode r : GuardrailEval.rows(data.resolve("prompt_injection_deepset").resolve(split).resolve("data.jsonl"))) {
            boolean injection = r.path("label").asInt() == 1;
            examples.add(new Example(r.path("text").asText(), injection ? 1 : 0, injection ? "deepset injection" : "deepset benign"));
        }
        for (JsonNode r : GuardrailEval.rows(data.resolve("jailbreak_llms_inthewild").resolve(split).resolve("data.jsonl"))) {
            examples.add(new Example(r.path("text").asText(), 1, "jailbreak"));
        }
        for (JsonNode r : GuardrailEval.rows(data.resolve("xstest").resolve(split).resolve("data.jsonl"))) {
            if (r.path("label").asText().equals("safe")) {
                examples.add(new Example(r.path("text").asText(), 0, "xstest safe"));
            }
        }
        Path pii = data.resolve("pii_presidio_synth").resolve(split).resolve("data.jsonl");
        if (Files.exists(pii)) {
            for (JsonNode r : GuardrailEval.rows(pii)) {
                examples.add(new Example(r.path("text").asText(), 0, "business benign"));
            }
        }
        return examples;
    }

    private List<InjectionFeatures.Vector> windows(String text) {
        return cache.computeIfAbsent(text, features::vectors);
    }

    /** Trains on all examples, with the threshold from out-of-fold scores. */
    InjectionClassifier train(List<Example> examples) {
        double[] oof = new double[examples.size()];
        for (int fold = 0; fold < 5; fold++) {
            List<Example> train = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (i % 5 != fold) {
                    train.add(examples.get(i));
                }
            }
            double[] model = fit(train);
            for (int i = fold; i < examples.size(); i += 5) {
                oof[i] = score(model, examples.get(i).text());
            }
        }
        // The threshold keeps every group of negatives at or under the target rate, not just their pool.
        Map<String, List<Double>> negatives = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).label() == 0) {
                negatives.computeIfAbsent(examples.get(i).group(), k -> new ArrayList<>()).add(oof[i]);
            }
        }
        double thresholdLogit = Double.NEGATIVE_INFINITY;
        for (List<Double> scores : negatives.values()) {
            scores.sort(null);
            thresholdLogit = Math.max(thresholdLogit, scores.get(scores.size() - 1 - (int) Math.floor(TARGET_FALSE_POSITIVES * scores.size())));
        }
        double[] model = fit(examples);
        float[] w = new float[1 << BITS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) model[i];
        }
        float threshold = (float) (1 / (1 + Math.exp(-Math.nextUp(thresholdLogit))));
        return new InjectionClassifier(features, w, (float) model[model.length - 1], threshold);
    }

    /** @return the highest logit of the text's windows, without the length input, as the classifier scores */
    private double score(double[] model, String text) {
        double best = Double.NEGATIVE_INFINITY;
        for (InjectionFeatures.Vector v : windows(text)) {
            best = Math.max(best, logit(model, v));
        }
        return best;
    }

    private static double logit(double[] model, InjectionFeatures.Vector v) {
        double z = model[model.length - 1];
        for (int k = 0; k < v.slots().length; k++) {
            z += model[v.slots()[k]] * v.values()[k];
        }
        return z;
    }

    /** The length input of a window: its L1 norm (its L2 norm is 1), scaled to about the range of the weights. */
    private static double length(InjectionFeatures.Vector v) {
        double sum = 0;
        for (float value : v.values()) {
            sum += Math.abs(value);
        }
        return sum / 10;
    }

    /** @return the n-gram weights, then the length input's weight, then the bias as the last element */
    private double[] fit(List<Example> examples) {
        // Positives and negatives weigh half each; within each side, every group weighs the same.
        Map<String, Integer> groupSizes = new LinkedHashMap<>();
        examples.forEach(e -> groupSizes.merge(e.group(), 1, Integer::sum));
        Map<Integer, Long> groupsPerLabel = new TreeMap<>();
        groupSizes.keySet().forEach(g -> groupsPerLabel.merge(examples.stream().filter(e -> e.group().equals(g))
                .findFirst().orElseThrow().label(), 1L, Long::sum));
        // Every window is an example with its text's label and an equal share of its text's weight.
        List<InjectionFeatures.Vector> vectors = new ArrayList<>();
        List<Double> weightList = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (Example e : examples) {
            List<InjectionFeatures.Vector> windows = windows(e.text());
            double weight = 0.5 / groupsPerLabel.get(e.label()) / groupSizes.get(e.group()) / windows.size();
            for (InjectionFeatures.Vector v : windows) {
                vectors.add(v);
                weightList.add(weight);
                labelList.add(e.label());
            }
        }
        int lengthInput = 1 << BITS;
        int dims = lengthInput + 2;
        Lbfgs.Objective objective = (x, gradient) -> {
            java.util.Arrays.fill(gradient, 0);
            double loss = 0;
            for (int i = 0; i < vectors.size(); i++) {
                InjectionFeatures.Vector v = vectors.get(i);
                double length = length(v);
                double z = logit(x, v) + x[lengthInput] * length;
                int y = labelList.get(i);
                double p = 1 / (1 + Math.exp(-z));
                double weight = weightList.get(i);
                loss += weight * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
                double g = weight * (p - y);
                for (int k = 0; k < v.slots().length; k++) {
                    gradient[v.slots()[k]] += g * v.values()[k];
                }
                gradient[lengthInput] += g * length;
                gradient[dims - 1] += g;
            }
            for (int j = 0; j < lengthInput; j++) {
                loss += LAMBDA / 2 * x[j] * x[j];
                gradient[j] += LAMBDA * x[j];
            }
            // The length input is all but unpenalised, so it, not the n-gram weights, takes up length.
            loss += LENGTH_LAMBDA / 2 * x[lengthInput] * x[lengthInput];
            gradient[lengthInput] += LENGTH_LAMBDA * x[lengthInput];
            return loss;
        };
        return Lbfgs.minimise(objective, new double[dims], MAX_ITERATIONS, 1e-7);
    }

    /** 5-fold cross-validation of the whole procedure, threshold chosen inside each training fold. */
    void crossValidate(List<Example> examples, PrintStream out) {
        Map<String, int[]> byGroup = new TreeMap<>();
        for (int fold = 0; fold < 5; fold++) {
            List<Example> train = new ArrayList<>();
            List<Example> test = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                ((i * 7 + 3) % 5 == fold ? test : train).add(examples.get(i));
            }
            InjectionClassifier m = train(train);
            for (Example e : test) {
                List<Finding> found = new ArrayList<>();
                m.detect(e.text(), found);
                int[] c = byGroup.computeIfAbsent(e.group(), k -> new int[2]);
                c[0]++;
                if (!found.isEmpty()) {
                    c[1]++;
                }
            }
        }
        out.println("5-fold cross-validation (each fold unseen in training, threshold chosen inside the training folds):");
        out.println();
        out.println("| set | rows | flagged | rate |");
        out.println("|---|---:|---:|---:|");
        byGroup.forEach((set, c) -> out.printf(Locale.ROOT, "| %s | %d | %d | %.3f |%n", set, c[0], c[1], (double) c[1] / c[0]));
        out.println();
    }
}
