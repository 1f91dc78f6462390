package dev.fundament.retrieval;

import dev.fundament.config.CollectionSpec;
import dev.fundament.guardrails.Guardrails;
import dev.fundament.retrieval.ingest.PiiFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A collection's {@code pii} policy as a {@link PiiFilter}, built on the guardrails' detectors, so
 * company data is checked for personal data by exactly the detectors that check requests.
 */
@ApplicationScoped
public class PiiPolicies {

    private final Guardrails guardrails;

    @Inject
    public PiiPolicies(Guardrails guardrails) {
        this.guardrails = guardrails;
    }

    public PiiFilter filter(CollectionSpec.PiiSpec spec) {
        return switch (spec.action()) {
            case NONE -> PiiFilter.NONE;
            case REDACT -> text -> {
                Guardrails.Redaction r = guardrails.redact(text, spec.detect(), spec.threshold());
                return new PiiFilter.Result(r.text(), r.found(), false);
            };
            case BLOCK -> text -> {
                Guardrails.Redaction r = guardrails.redact(text, spec.detect(), spec.threshold());
                return new PiiFilter.Result(text, r.found(), !r.found().isEmpty());
            };
            case FLAG -> text -> {
                Guardrails.Redaction r = guardrails.redact(text, spec.detect(), spec.threshold());
                return new PiiFilter.Result(text, r.found(), false);
            };
        };
    }
}
