package dev.fundament.config;

import java.util.Map;

/**
 * The whole of {@code fundament.yaml}.
 *
 * @param server    HTTP edge settings of the product (Quarkus's own stay in application.properties)
 * @param storage   where durable state lives
 * @param identity  anonymous access and the organisation's teams
 * @param limits    rate limits per key, user, team and model
 * @param budgets   daily and monthly spending caps per team, user and key
 * @param pricing   token prices per provider model, for the ledger and budgets
 * @param roi       minutes saved per use case, for the ROI report
 * @param guardrails detectors and policies for requests and answers, and data-residency rules
 * @param audit     the tamper-evident audit trail: payload retention, retention periods, keys
 * @param providers upstreams by name; a provider named {@code local} (in-process models) is always added
 * @param models    public model names by name
 * @param collections company data for search and answers, by name
 */
public record FundamentSpec(ServerSpec server, StorageSpec storage, IdentitySpec identity, LimitsSpec limits,
                            BudgetsSpec budgets, PricingSpec pricing, RoiSpec roi, GuardrailsSpec guardrails, AuditSpec audit,
                            Map<String, ProviderSpec> providers,
                            Map<String, ModelSpec> models, Map<String, CollectionSpec> collections) {

    public FundamentSpec {
        budgets = budgets != null ? budgets : BudgetsSpec.DEFAULTS;
        pricing = pricing != null ? pricing : PricingSpec.DEFAULTS;
        roi = roi != null ? roi : RoiSpec.DEFAULTS;
        guardrails = guardrails != null ? guardrails : GuardrailsSpec.DEFAULTS;
        audit = audit != null ? audit : AuditSpec.DEFAULTS;
        limits = limits != null ? limits : LimitsSpec.DEFAULTS;
        storage = storage != null ? storage : StorageSpec.DEFAULTS;
        identity = identity != null ? identity : IdentitySpec.DEFAULTS;
        server = server != null ? server : new ServerSpec(null);
        providers = providers != null ? providers : Map.of();
        models = models != null ? models : Map.of();
        collections = collections != null ? collections : Map.of();
    }
}
