package dev.fundament.guardrails.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fundament.guardrails.Scanner;
import dev.fundament.guardrails.detect.AddressDetector;
import dev.fundament.guardrails.detect.CardDetector;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.DateOfBirthDetector;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.EmailDetector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.guardrails.detect.IbanDetector;
import dev.fundament.guardrails.detect.InjectionClassifier;
import dev.fundament.guardrails.detect.IpAddressDetector;
import dev.fundament.guardrails.detect.NationalIdDetector;
import dev.fundament.guardrails.detect.PersonDetector;
import dev.fundament.guardrails.detect.PhoneDetector;
import dev.fundament.guardrails.detect.SecretDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./fundament eval guardrails --data DIR}: measures the detectors on labelled sets in the
 * layout of the shared evaluation data ({@code <set>/<split>/data.jsonl}), for every split found
 * (dev, test): span precision, recall and F1 per personal-data category (a found span counts when it
 * overlaps a labelled span of the same category; exact matches are shown too), detection and
 * false-positive rates for prompt injection and jailbreaks (also on long texts, when the SciFact corpus
 * is there), and secret precision and recall per snippet. Prints Markdown tables. Texts are read
 * through {@link Scanner}, as the gateway reads them (normal form, base64 runs decoded), so the
 * figures are the gateway's.
 */
public final class GuardrailEval {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Labels of the PII set and the category each counts as; other labels are not scored. */
    private static final Map<String, Category> PII_LABELS = Map.of(
            "EMAIL_ADDRESS", Category.EMAIL, "PHONE_NUMBER", Category.PHONE, "IBAN_CODE", Category.IBAN,
            "CREDIT_CARD", Category.CREDIT_CARD, "IP_ADDRESS", Category.IP_ADDRESS, "PERSON", Category.PERSON,
            "STREET_ADDRESS", Category.ADDRESS, "US_SSN", Category.NATIONAL_ID, "US_DRIVER_LICENSE", Category.NATIONAL_ID);

    /** How many SciFact abstracts stand for long benign texts. */
    private static final int LONG_TEXTS = 500;

    private final PrintStream out;

    private GuardrailEval(PrintStream out) {
        this.out = out;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path data = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--data") && i + 1 < args.size()) {
                data = Path.of(args.get(++i));
            }
        }
        if (data == null || !Files.isDirectory(data)) {
            err.println("Usage: fundament eval guardrails --data DIR   (DIR holds pii_presidio_synth/, prompt_injection_deepset/, ...)");
            return 64;
        }
        try {
            new GuardrailEval(out).all(data);
            return 0;
        } catch (IOException e) {
            err.println("Cannot read the data: " + e.getMessage());
            return 66;
        }
    }

    private void all(Path data) throws IOException {
        for (String split : splits(data)) {
            out.println("## Split: " + split);
            out.println();
            Path pii = data.resolve("pii_presidio_synth").resolve(split).resolve("data.jsonl");
            if (Files.exists(pii)) {
                pii(rows(pii));
            }
            try {
                injection(data, split);
            } catch (RuntimeException e) {
                out.println("(prompt-injection classifier unavailable: " + e.getMessage() + ")");
                out.println();
            }
            Path secrets = data.resolve("secrets_noseyparker").resolve(split).resolve("data.jsonl");
            if (Files.exists(secrets)) {
                secrets(rows(secrets));
            }
        }
    }

    private static List<String> splits(Path data) throws IOException {
        List<String> splits = new ArrayList<>();
        for (String set : List.of("pii_presidio_synth", "prompt_injection_deepset", "secrets_noseyparker")) {
            Path dir = data.resolve(set);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    list.filter(p -> Files.exists(p.resolve("data.jsonl"))).map(p -> p.getFileName().toString())
                            .filter(s -> !splits.contains(s)).forEach(splits::add);
                }
            }
        }
        splits.sort(null);
        return splits;
    }

    static List<JsonNode> rows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    /** Counts per category: true positives (overlap and exact), predicted, labelled. */
    private static final class Counts {
        int overlap;
        int exact;
        int predicted;
        int gold;
    }

    private void pii(List<JsonNode> rows) {
        List<Detector> detectors = List.of(new EmailDetector(), new PhoneDetector(), new IbanDetector(), new CardDetector(),
                new IpAddressDetector(), new DateOfBirthDetector(), new AddressDetector(), new NationalIdDetector(),
                new PersonDetector(), new SecretDetector());
        Map<Category, Counts> counts = new EnumMap<>(Category.class);
        for (JsonNode row : rows) {
            String text = row.path("text").asText();
            List<Finding> found = Scanner.scan(text, detectors);
            List<int[]> gold = new ArrayList<>();
            List<Category> goldCategory = new ArrayList<>();
            for (JsonNode span : row.path("spans")) {
                Category c = PII_LABELS.get(span.path("label").asText());
                if (c != null) {
                    gold.add(new int[] {span.path("start").asInt(), span.path("end").asInt()});
                    goldCategory.add(c);
                    counts.computeIfAbsent(c, k -> new Counts()).gold++;
                }
            }
            boolean[] matched = new boolean[gold.size()];
            for (Finding f : found) {
                if (!PII_LABELS.containsValue(f.category())) {
                    continue;
                }
                Counts c = counts.computeIfAbsent(f.category(), k -> new Counts());
                c.predicted++;
                for (int g = 0; g < gold.size(); g++) {
                    if (!matched[g] && goldCategory.get(g) == f.category() && f.start() < gold.get(g)[1] && gold.get(g)[0] < f.end()) {
                        matched[g] = true;
                        c.overlap++;
                        if (f.start() == gold.get(g)[0] && f.end() == gold.get(g)[1]) {
                            c.exact++;
                        }
                        break;
                    }
                }
            }
        }
        out.println("### Personal data (pii_presidio_synth, " + rows.size() + " sentences)");
        out.println();
        out.println("| category | labelled | found | precision | recall | F1 | exact-match F1 |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        counts.forEach((category, c) -> {
            double p = c.predicted == 0 ? 0 : (double) c.overlap / c.predicted;
            double r = c.gold == 0 ? 0 : (double) c.overlap / c.gold;
            double pe = c.predicted == 0 ? 0 : (double) c.exact / c.predicted;
            double re = c.gold == 0 ? 0 : (double) c.exact / c.gold;
            out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |%n", category.wire(), c.gold, c.predicted,
                    p, r, f1(p, r), f1(pe, re));
        });
        out.println();
    }

    private void injection(Path data, String split) throws IOException {
        InjectionClassifier classifier = InjectionClassifier.bundled();
        out.println("### Prompt injection and jailbreaks");
        out.println();
        if (split.equals("dev")) {
            out.println("The bundled model was trained on these dev rows, so this is its fit, not how it does on unseen");
            out.println("prompts; `fundament eval train-injection` prints a cross-validated estimate for that.");
            out.println();
        }
        out.println("| set | rows | flagged | rate | meaning |");
        out.println("|---|---:|---:|---:|---|");
        Path deepset = data.resolve("prompt_injection_deepset").resolve(split).resolve("data.jsonl");
        if (Files.exists(deepset)) {
            List<JsonNode> rows = rows(deepset);
            rate(classifier, rows.stream().filter(r -> r.path("label").asInt() == 1).toList(), "deepset injections", "detection rate");
            rate(classifier, rows.stream().filter(r -> r.path("label").asInt() == 0).toList(), "deepset benign", "false-positive rate");
        }
        Path jailbreaks = data.resolve("jailbreak_llms_inthewild").resolve(split).resolve("data.jsonl");
        if (Files.exists(jailbreaks)) {
            rate(classifier, rows(jailbreaks), "in-the-wild jailbreaks", "detection rate");
        }
        Path xstest = data.resolve("xstest").resolve(split).resolve("data.jsonl");
        if (Files.exists(xstest)) {
            List<JsonNode> rows = rows(xstest);
            rate(classifier, rows.stream().filter(r -> r.path("label").asText().equals("safe")).toList(), "XSTest safe",
                    "false-positive rate");
            rate(classifier, rows.stream().filter(r -> r.path("label").asText().equals("unsafe")).toList(), "XSTest unsafe",
                    "flag rate (harmful requests, not injections)");
        }
        Path abstracts = data.resolve("scifact").resolve("corpus.jsonl");
        if (Files.exists(abstracts) && Files.exists(deepset)) {
            longTexts(classifier, rows(abstracts), rows(deepset).stream().filter(r -> r.path("label").asInt() == 1).toList());
        }
        out.println();
    }

    /**
     * Long texts, which the labelled prompt sets lack: scientific abstracts of 600–2,500 characters as
     * benign prose (SciFact, read here and never trained on: its licence is non-commercial), and the
     * same abstracts with one of the split's deepset injections put in the middle, as a document with
     * an attack hidden in it.
     */
    private void longTexts(InjectionClassifier classifier, List<JsonNode> corpus, List<JsonNode> injections) {
        List<JsonNode> prose = new ArrayList<>();
        List<JsonNode> hidden = new ArrayList<>();
        for (JsonNode doc : corpus) {
            String text = doc.path("text").asText();
            if (text.length() < 600 || text.length() > 2500) {
                continue;
            }
            prose.add(doc);
            if (!injections.isEmpty()) {
                int middle = text.indexOf(". ", text.length() / 2) + 2;
                String injection = injections.get(hidden.size() % injections.size()).path("text").asText();
                String withInjection = middle < 2 ? text + " " + injection
                        : text.substring(0, middle) + injection + " " + text.substring(middle);
                hidden.add(JSON.createObjectNode().put("text", withInjection));
            }
            if (prose.size() == LONG_TEXTS) {
                break;
            }
        }
        rate(classifier, prose, "SciFact abstracts", "false-positive rate (long benign prose)");
        rate(classifier, hidden, "deepset injections inside abstracts", "detection rate (attack hidden in a document)");
    }

    private void rate(InjectionClassifier classifier, List<JsonNode> rows, String name, String meaning) {
        int flagged = 0;
        for (JsonNode row : rows) {
            List<Finding> found = Scanner.scan(row.path("text").asText(), List.of(classifier));
            if (found.stream().anyMatch(f -> f.score() >= 0.5)) {
                flagged++;
            }
        }
        out.printf(Locale.ROOT, "| %s | %d | %d | %.3f | %s |%n", name, rows.size(), flagged,
                rows.isEmpty() ? 0.0 : (double) flagged / rows.size(), meaning);
    }

    private void secrets(List<JsonNode> rows) {
        SecretDetector detector = new SecretDetector();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        for (JsonNode row : rows) {
            List<Finding> found = Scanner.scan(row.path("text").asText(), List.of(detector));
            boolean hit = !found.isEmpty();
            boolean secret = row.path("label").asInt() == 1;
            if (hit && secret) {
                tp++;
            } else if (hit) {
                fp++;
            } else if (secret) {
                fn++;
            } else {
                tn++;
            }
        }
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        out.println("### Secrets (secrets_noseyparker, " + rows.size() + " snippets)");
        out.println();
        out.println("| secrets | look-alikes | found | missed | false alarms | precision | recall | F1 |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %.3f | %.3f | %.3f |%n", tp + fn, fp + tn, tp, fn, fp, p, r, f1(p, r));
        out.println();
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
