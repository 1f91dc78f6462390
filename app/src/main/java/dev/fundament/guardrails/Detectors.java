package dev.fundament.guardrails;

import dev.fundament.config.GuardrailsSpec;
import dev.fundament.guardrails.detect.AddressDetector;
import dev.fundament.guardrails.detect.CanaryDetector;
import dev.fundament.guardrails.detect.CardDetector;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.DateOfBirthDetector;
import dev.fundament.guardrails.detect.Detector;
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

/** One instance of each detector, made when a policy first needs it. */
final class Detectors {

    private final Map<Category, Supplier<Detector>> factories = new EnumMap<>(Category.class);
    private final Map<Category, Detector> made = new EnumMap<>(Category.class);
    private final Map<String, Detector> canaries = new LinkedHashMap<>();

    Detectors(GuardrailsSpec spec) {
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
