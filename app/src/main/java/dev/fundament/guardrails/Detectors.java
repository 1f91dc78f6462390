package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec;
import dev.fundament.guardrails.detect.AddressDetector;
import dev.fundament.guardrails.detect.CanaryDetector;
import dev.fundament.guardrails.detect.CardDetector;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.DateOfBirthDetector;
import dev.fundament.guardrails.detect.Detector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.guardrails.detect.EmailDetector;
import dev.fundament.guardrails.detect.IbanDetector;
import dev.fundament.guardrails.detect.InjectionClassifier;
import dev.fundament.guardrails.detect.IpAddressDetector;
import dev.fundament.guardrails.detect.NationalIdDetector;
import dev.fundament.guardrails.detect.PersonDetector;
import dev.fundament.guardrails.detect.PhoneDetector;
import dev.fundament.guardrails.detect.SecretDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One instance of each detector, made when a policy first needs it, and the input scans' cache.
 *
 * <p>Chat clients send the whole conversation with every turn, and applications the same system
 * prompt with every request, so most input text has been scanned before. Scans of texts of
 * {@value #MIN_CACHED} characters or more are kept (keyed by the exact text and detector set, so a
 * different text can never reuse a result) up to {@code guardrails.scan_cache} bytes of text and for
 * at most {@value #CACHE_MINUTES} minutes; {@code scan_cache: 0} turns the cache off.
 */
final class Detectors {

    static final int MIN_CACHED = 256;
    static final int CACHE_MINUTES = 10;

    /** A scan's identity: the exact text and the detectors run over it. */
    private record ScanKey(String text, List<Detector> detectors) {
    }

    private final com.github.benmanes.caffeine.cache.Cache<ScanKey, List<Finding>> scans;

    private final Map<Category, Supplier<Detector>> factories = new EnumMap<>(Category.class);
    private final Map<Category, Detector> made = new EnumMap<>(Category.class);
    private final Map<String, Detector> canaries = new LinkedHashMap<>();

    Detectors(GuardrailsSpec spec) {
        long bytes = spec.scanCache().bytes();
        this.scans = bytes <= 0 ? null : com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .maximumWeight(bytes).weigher((ScanKey k, List<Finding> v) -> 2 * k.text().length() + 64 * (1 + v.size()))
                .expireAfterWrite(java.time.Duration.ofMinutes(CACHE_MINUTES)).build();
        factories.put(Category.EMAIL, EmailDetector::new);
        factories.put(Category.PHONE, () -> new PhoneDetector(spec.phoneRegions()));
        factories.put(Category.IBAN, IbanDetector::new);
        factories.put(Category.CREDIT_CARD, CardDetector::new);
        factories.put(Category.IP_ADDRESS, IpAddressDetector::new);
        factories.put(Category.DATE_OF_BIRTH, DateOfBirthDetector::new);
        factories.put(Category.ADDRESS, AddressDetector::new);
        factories.put(Category.NATIONAL_ID, NationalIdDetector::new);
        factories.put(Category.PERSON, PersonDetector::new);
        factories.put(Category.SECRET, SecretDetector::new);
        factories.put(Category.PROMPT_INJECTION, InjectionClassifier::bundled);
        spec.canaries().forEach((name, c) -> canaries.put(name, new CanaryDetector(name, terms(c))));
    }

    /**
     * Runs the detectors over an input text, or answers from the cache when the same text was scanned
     * with the same detectors.
     *
     * @throws Scanner.GuardrailFailure when a detector fails (never cached)
     */
    List<Finding> scan(String text, List<Detector> detectors) {
        return scan(text, detectors, false);
    }

    /**
     * As {@link #scan(String, List)}; short texts are kept too when {@code anyLength}: the
     * seams between messages, which are short but come again with every turn of a conversation.
     */
    List<Finding> scan(String text, List<Detector> detectors, boolean anyLength) {
        if (scans == null || !anyLength && text.length() < MIN_CACHED || detectors.isEmpty()) {
            return Scanner.scan(text, detectors);
        }
        return scans.get(new ScanKey(text, detectors), k -> List.copyOf(Scanner.scan(text, detectors)));
    }

    private static List<String> terms(GuardrailsSpec.CanarySpec c) {
        List<String> terms = new ArrayList<>(c.terms());
        if (c.file() != null) {
            try {
                terms.addAll(Files.readAllLines(Path.of(c.file()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read canary file " + c.file(), e);
            }
        }
        return terms;
    }

    synchronized List<Detector> forCategories(Set<Category> categories, Set<String> canaryNames) {
        List<Detector> out = new ArrayList<>();
        for (Category c : categories) {
            if (c == Category.CANARY) {
                out.addAll(canaries.values());
            } else {
                out.add(made.computeIfAbsent(c, k -> factories.get(k).get()));
            }
        }
        if (!categories.contains(Category.CANARY)) {
            for (String name : canaryNames) {
                out.add(canaries.get(name));
            }
        }
        return List.copyOf(out);
    }
}
