package dev.fundament.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a bound {@link FundamentSpec} as a whole: values, cross-references and secrets. Every problem
 * is collected with its YAML path; nothing stops at the first one.
 */
final class ConfigValidator {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    private final List<ConfigProblem> problems;
    private final Map<String, String> env;
    private final Map<String, String> secrets = new LinkedHashMap<>();

    ConfigValidator(List<ConfigProblem> problems, Map<String, String> env) {
        this.problems = problems;
        this.env = env;
    }

    /** @return resolved secrets by YAML path, for the references that resolved */
    Map<String, String> validate(FundamentSpec spec) {
        if (spec.server().maxBodySize().bytes() < 1024) {
            problem("server.max_body_size", "must be at least 1KiB, was " + spec.server().maxBodySize().bytes() + " bytes");
        }
        spec.providers().forEach((name, provider) -> {
            if (provider != null) {
                provider(name, provider);
            }
        });
        spec.models().forEach((name, model) -> {
            if (model != null) {
                model(spec, name, model);
            }
        });
        storage(spec.storage());
        limits(spec, spec.limits());
        pricing(spec.pricing());
        budgets(spec);
        spec.identity().teams().forEach((id, team) -> team(spec, id, team));
        sso(spec.identity().sso());
        guardrails(spec);
        audit(spec.audit());
        spec.collections().forEach((name, c) -> {
            if (c != null) {
                collection(spec, name, c);
            }
        });
        return secrets;
    }

    private void collection(FundamentSpec spec, String name, CollectionSpec c) {
        String path = "collections." + name;
        if (!NAME.matcher(name).matches() || name.length() > 100) {
            problem(path, "a collection name uses lower-case letters, digits, '-', '_' and '.', at most 100 characters");
        }
        if (c.owner() != null && !spec.identity().teams().isEmpty() && !spec.identity().teams().containsKey(c.owner())
                && !c.owner().equals("default")) {
            problem(path + ".owner", "unknown team '" + c.owner() + "'; defined: " + String.join(", ", spec.identity().teams().keySet()));
        }
        for (int i = 0; i < c.readers().size(); i++) {
            reader(path + ".readers[" + i + "]", c.readers().get(i));
        }
        modelName(spec, path + ".embedding_model", c.embeddingModel());
        modelName(spec, path + ".answer_model", c.answerModel());
        if (c.passages() < 1 || c.passages() > 50) {
            problem(path + ".passages", "must be from 1 to 50, was " + c.passages());
        }
        for (int i = 0; i < c.languages().size(); i++) {
            if (!List.of("en", "de").contains(c.languages().get(i))) {
                problem(path + ".languages[" + i + "]", "no text analysis for '" + c.languages().get(i) + "'; use en or de");
            }
        }
        if (c.chunking().maxTokens() < 32 || c.chunking().maxTokens() > 2048) {
            problem(path + ".chunking.max_tokens", "must be from 32 to 2048, was " + c.chunking().maxTokens());
        }
        if (c.chunking().overlapTokens() < 0 || c.chunking().overlapTokens() >= c.chunking().maxTokens() / 2) {
            problem(path + ".chunking.overlap_tokens", "must be from 0 to less than half of max_tokens, was "
                    + c.chunking().overlapTokens());
        }
        for (String d : c.pii().detect()) {
            if (!d.equals("personal_data") && !d.startsWith("canary:") && !CATEGORIES.contains(d)) {
                problem(path + ".pii.detect", "unknown category '" + d + "'; use personal_data or one of " + CATEGORIES);
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < c.sources().size(); i++) {
            SourceSpec s = c.sources().get(i);
            if (s != null) {
                source(path + ".sources[" + i + "]", s, names);
            }
        }
    }

    /** A public model name or {@code <provider>/<model>} of a configured provider (local is always there). */
    private void modelName(FundamentSpec spec, String path, String model) {
        int slash = model.indexOf('/');
        String provider = slash > 0 ? model.substring(0, slash) : null;
        if (!spec.models().containsKey(model) && !"local".equals(provider)
                && (provider == null || !spec.providers().containsKey(provider))) {
            problem(path, "unknown model '" + model + "'; name a model of the models section or <provider>/<model>");
        }
    }

    private void reader(String path, String reader) {
        if (!reader.equals("public") && !reader.matches("(team|group|user):\\S+")) {
            problem(path, "a reader is 'public', 'team:<id>', 'group:<name>' or 'user:<id>', was '" + reader + "'");
        }
    }

    private void source(String path, SourceSpec s, java.util.Set<String> names) {
        if (s.name() != null && !names.add(s.name())) {
            problem(path + ".name", "duplicate source name '" + s.name() + "'");
        }
        if (s.name() != null && !NAME.matcher(s.name()).matches()) {
            problem(path + ".name", "a source name uses lower-case letters, digits, '-', '_' and '.'");
        }
        if (s.type() == null) {
            return;
        }
        switch (s.type()) {
            case FOLDER, MAIL, RECORDS -> {
                if (s.path() == null) {
                    problem(path + ".path", "required for a " + s.type().wire() + " source");
                }
                if (s.format() != null && !List.of("csv", "json", "jsonl").contains(s.format())) {
                    problem(path + ".format", "must be csv, json or jsonl, was '" + s.format() + "'");
                }
            }
            case JDBC, POSTGRES_CDC -> {
                if (s.url() == null || !s.url().startsWith("jdbc:")) {
                    problem(path + ".url", "a JDBC URL such as jdbc:postgresql://erp:5432/erp is required");
                } else if (s.type() == SourceSpec.SourceType.POSTGRES_CDC && !s.url().startsWith("jdbc:postgresql:")) {
                    problem(path + ".url", "change data capture reads PostgreSQL; expected jdbc:postgresql://..., was " + s.url());
                }
                if (s.password() != null) {
                    secret(path + ".password", s.password());
                }
                if (s.type() == SourceSpec.SourceType.JDBC && (s.table() == null) == (s.query() == null)) {
                    problem(path, "give exactly one of 'table' and 'query'");
                }
                if (s.type() == SourceSpec.SourceType.POSTGRES_CDC && s.tables().isEmpty()) {
                    problem(path + ".tables", "list the tables to follow, as schema.table");
                }
                if (s.textFields().isEmpty()) {
                    problem(path + ".text_fields", "name the columns whose text is indexed");
                }
            }
            case PUSH -> {
            }
        }
        if (s.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problem(path + ".interval", "must be at least 1s, was " + s.interval());
        }
        for (int i = 0; i < s.readers().size(); i++) {
            reader(path + ".readers[" + i + "]", s.readers().get(i));
        }
    }

    private void audit(AuditSpec a) {
        if (a.metadataDays() < 183) {
            problem("audit.metadata_days", "must be at least 183 (six months, as the EU AI Act asks for logs of"
                    + " high-risk uses), was " + a.metadataDays());
        }
        if (a.payloadDays() < 1 || a.payloadDays() > a.metadataDays()) {
            problem("audit.payload_days", "must be from 1 to metadata_days (" + a.metadataDays() + "), was " + a.payloadDays());
        }
        if (a.checkpointEvery() < 1 || a.checkpointEvery() > 3600) {
            problem("audit.checkpoint_every", "must be from 1 to 3600 seconds, was " + a.checkpointEvery());
        }
        if (a.signingKey() != null) {
            secret("audit.signing_key", a.signingKey());
        }
        if (a.payloadKey() != null) {
            secret("audit.payload_key", a.payloadKey());
        }
    }

    /** The categories a guardrail can detect, by wire name. */
    public static final java.util.Set<String> CATEGORIES = java.util.Set.of("email", "phone", "iban", "credit_card",
            "ip_address", "date_of_birth", "address", "national_id", "person", "secret", "prompt_injection", "canary");

    private void guardrails(FundamentSpec spec) {
        GuardrailsSpec g = spec.guardrails();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < g.policies().size(); i++) {
            GuardrailsSpec.PolicySpec p = g.policies().get(i);
            String path = "guardrails.policies[" + i + "]";
            if (p == null) {
                continue;
            }
            if (p.name() != null && !names.add(p.name())) {
                problem(path + ".name", "duplicate policy name '" + p.name() + "'");
            }
            detect(path + ".detect", p.detect(), g, false);
            if (p.action() == GuardrailsSpec.Action.PSEUDONYMIZE && p.on() == GuardrailsSpec.Stage.OUTPUT) {
                problem(path + ".action", "pseudonymize replaces values in requests and restores them in answers;"
                        + " use on: input or both, or redact for answers");
            }
            if (p.detect() != null && p.detect().contains("prompt_injection") && p.action() != GuardrailsSpec.Action.BLOCK
                    && p.action() != GuardrailsSpec.Action.FLAG) {
                problem(path + ".action", "prompt_injection judges a whole text: use block or flag");
            }
            if (p.threshold() < 0 || p.threshold() > 1) {
                problem(path + ".threshold", "expected a number from 0 to 1, was " + p.threshold());
            }
            scope(path, spec, p.models(), p.teams());
        }
        for (int i = 0; i < g.residency().size(); i++) {
            GuardrailsSpec.ResidencySpec r = g.residency().get(i);
            String path = "guardrails.residency[" + i + "]";
            if (r == null) {
                continue;
            }
            detect(path + ".detect", r.detect(), g, true);
            if (r.detect().isEmpty() && r.teams().isEmpty()) {
                problem(path, "say when the rule applies: detect (such as [personal_data]), teams, or both");
            }
            if (r.requireLabels() != null && r.requireLabels().isEmpty()) {
                problem(path + ".require_labels", "name at least one label, such as [on-prem]");
            }
            scope(path, spec, r.models(), r.teams());
        }
        g.canaries().forEach((name, canary) -> {
            String path = "guardrails.canaries." + name;
            if (canary == null || canary.terms().isEmpty() && canary.file() == null) {
                problem(path, "give terms, a file (one term per line), or both");
            } else if (canary.file() != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(canary.file()))) {
                problem(path + ".file", "cannot read '" + canary.file() + "'");
            }
        });
        for (int i = 0; i < g.phoneRegions().size(); i++) {
            String region = g.phoneRegions().get(i);
            if (region == null || !region.matches("[A-Z]{2}")) {
                problem("guardrails.phone_regions[" + i + "]", "expected a two-letter region code such as DE, found '" + region + "'");
            }
        }
        if (g.holdBack() < 16 || g.holdBack() > 4096) {
            problem("guardrails.hold_back", "must be from 16 to 4096 characters, was " + g.holdBack());
        }
    }

    private void detect(String path, List<String> detect, GuardrailsSpec g, boolean residency) {
        if (detect == null) {
            return;
        }
        if (detect.isEmpty() && !residency) {
            problem(path, "name at least one category, such as [personal_data]");
        }
        for (int k = 0; k < detect.size(); k++) {
            String d = detect.get(k);
            if (d == null) {
                problem(path + "[" + k + "]", "empty entry");
            } else if (d.startsWith("canary:")) {
                if (!g.canaries().containsKey(d.substring(7))) {
                    problem(path + "[" + k + "]", "unknown canary dictionary '" + d.substring(7) + "'; defined under"
                            + " guardrails.canaries: " + g.canaries().keySet());
                }
            } else if (!d.equals("personal_data") && !CATEGORIES.contains(d)) {
                problem(path + "[" + k + "]", "unknown category '" + d + "'; use personal_data, canary:<name> or one of "
                        + new java.util.TreeSet<>(CATEGORIES));
            }
        }
    }

    private void scope(String path, FundamentSpec spec, List<String> models, List<String> teams) {
        for (int k = 0; k < models.size(); k++) {
            if (!spec.models().containsKey(models.get(k))) {
                problem(path + ".models[" + k + "]", "unknown model '" + models.get(k) + "'; defined: "
                        + new java.util.TreeSet<>(spec.models().keySet()));
            }
        }
        for (int k = 0; k < teams.size(); k++) {
            if (!spec.identity().teams().containsKey(teams.get(k))) {
                problem(path + ".teams[" + k + "]", "unknown team '" + teams.get(k) + "'; teams are defined under identity.teams: "
                        + new java.util.TreeSet<>(spec.identity().teams().keySet()));
            }
        }
    }

    private static final java.util.Set<String> ROLES = java.util.Set.of("admin", "team-admin", "auditor", "user");

    private void sso(IdentitySpec.SsoSpec sso) {
        if (sso == null) {
            return;
        }
        if (sso.jwksUrl() != null) {
            checkUrl("identity.sso.jwks_url", sso.jwksUrl());
        }
        if (!ROLES.contains(sso.defaultRole())) {
            problem("identity.sso.default_role", "unknown role '" + sso.defaultRole() + "'; roles are " + String.join(", ",
                    new java.util.TreeSet<>(ROLES)));
        }
        sso.roleMapping().forEach((group, role) -> {
            if (!ROLES.contains(role)) {
                problem("identity.sso.role_mapping." + group, "unknown role '" + role + "'; roles are "
                        + String.join(", ", new java.util.TreeSet<>(ROLES)));
            }
        });
    }

    private void storage(StorageSpec s) {
        if (s.type() == StorageSpec.StorageType.EMBEDDED) {
            if (s.url() != null || s.username() != null || s.password() != null) {
                problem("storage", "the embedded store lives in the data directory: remove url, username and password,"
                        + " or set type: postgresql");
            }
        } else {
            if (s.url() == null) {
                problem("storage.url", "required for postgresql, for example jdbc:postgresql://db.internal:5432/fundament");
            } else if (!s.url().startsWith("jdbc:postgresql://")) {
                problem("storage.url", "expected a jdbc:postgresql:// URL, found '" + s.url() + "'");
            }
            if (s.password() != null) {
                secret("storage.password", s.password());
            }
        }
        if (s.maxConnections() < 1) {
            problem("storage.max_connections", "must be at least 1, was " + s.maxConnections());
        }
    }

    private void limits(FundamentSpec spec, LimitsSpec l) {
        if (l.counters().type() == LimitsSpec.CountersType.REDIS) {
            if (l.counters().url() == null) {
                problem("limits.counters.url", "required for redis, for example redis://127.0.0.1:6379");
            } else {
                String url = resolve("limits.counters.url", l.counters().url());
                if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
                    problem("limits.counters.url", "expected a redis:// or rediss:// URL");
                } else if (url != null) {
                    secrets.put("limits.counters.url", url);
                }
            }
        }
        rate("limits.per_key", l.perKey());
        rate("limits.per_user", l.perUser());
        rate("limits.per_team", l.perTeam());
        rate("limits.per_model", l.perModel());
        l.teams().forEach((team, rate) -> {
            if (!spec.identity().teams().containsKey(team)) {
                problem("limits.teams." + team, "unknown team '" + team + "'; teams are defined under identity.teams: "
                        + String.join(", ", spec.identity().teams().keySet()));
            }
            rate("limits.teams." + team, rate);
        });
        l.models().forEach((model, rate) -> {
            if (!spec.models().containsKey(model) && !model.contains("/")) {
                problem("limits.models." + model, "unknown model '" + model + "'; defined: "
                        + String.join(", ", spec.models().keySet()));
            }
            rate("limits.models." + model, rate);
        });
    }

    private void budgets(FundamentSpec spec) {
        BudgetsSpec b = spec.budgets();
        b.teams().forEach((team, budget) -> {
            if (!spec.identity().teams().containsKey(team)) {
                problem("budgets.teams." + team, "unknown team '" + team + "'; teams are defined under identity.teams: "
                        + String.join(", ", spec.identity().teams().keySet()));
            }
            budget("budgets.teams." + team, budget);
        });
        b.users().forEach((user, budget) -> budget("budgets.users." + user, budget));
        b.keys().forEach((key, budget) -> {
            if (!key.startsWith("fk-")) {
                problem("budgets.keys." + key, "name a key by its prefix as the admin API lists it, such as fk-AbC123xyz");
            }
            budget("budgets.keys." + key, budget);
        });
    }

    private void budget(String path, BudgetsSpec.BudgetSpec budget) {
        if (budget == null) {
            return;
        }
        if (budget.daily() == null && budget.monthly() == null) {
            problem(path, "give daily, monthly or both");
        }
        if (budget.daily() != null && budget.daily() <= 0) {
            problem(path + ".daily", "must be above zero");
        }
        if (budget.monthly() != null && budget.monthly() <= 0) {
            problem(path + ".monthly", "must be above zero");
        }
    }

    private void pricing(PricingSpec pricing) {
        if (!pricing.currency().matches("[A-Z]{3}")) {
            problem("pricing.currency", "expected an ISO 4217 code such as EUR or USD, found '" + pricing.currency() + "'");
        }
        pricing.models().forEach((model, price) -> {
            String path = "pricing.models." + model;
            if (!model.contains("/")) {
                problem(path, "name the model as <provider>/<upstream model>, for example openai/gpt-4o-mini");
            }
            if (price == null) {
                return;
            }
            boolean perToken = price.inputPerMillion() != null || price.outputPerMillion() != null;
            boolean perHour = price.gpuHour() != null || price.tokensPerSecond() != null;
            if (perToken == perHour) {
                problem(path, "give either input_per_million and output_per_million, or gpu_hour and tokens_per_second");
            } else if (perHour && (price.gpuHour() == null || price.tokensPerSecond() == null || price.tokensPerSecond() <= 0)) {
                problem(path, "on-prem pricing needs both gpu_hour and a tokens_per_second above zero");
            }
        });
    }

    private void rate(String path, LimitsSpec.RateSpec rate) {
        if (rate == null) {
            return;
        }
        if (rate.requestsPerMinute() != null && rate.requestsPerMinute() < 1) {
            problem(path + ".requests_per_minute", "must be at least 1, was " + rate.requestsPerMinute());
        }
        if (rate.tokensPerMinute() != null && rate.tokensPerMinute() < 1) {
            problem(path + ".tokens_per_minute", "must be at least 1, was " + rate.tokensPerMinute());
        }
    }

    private void team(FundamentSpec spec, String id, IdentitySpec.TeamSpec team) {
        String path = "identity.teams." + id;
        if (!NAME.matcher(id).matches() || id.length() > dev.fundament.error.Bounds.TEAM) {
            problem(path, "team ids use lower-case letters, digits, '-', '_' and '.', at most "
                    + dev.fundament.error.Bounds.TEAM + " characters (the width of every team column); rename '" + id + "'");
        }
        if (team == null) {
            return;
        }
        for (int i = 0; i < team.allowedModels().size(); i++) {
            String model = team.allowedModels().get(i);
            if (model != null && !spec.models().containsKey(model) && !model.contains("/")) {
                problem(path + ".allowed_models[" + i + "]", "unknown model '" + model + "'; defined: "
                        + String.join(", ", spec.models().keySet()));
            }
        }
    }

    private void provider(String name, ProviderSpec p) {
        String path = "providers." + name;
        if (!NAME.matcher(name).matches() || name.length() > dev.fundament.error.Bounds.PROVIDER) {
            problem(path, "provider names use lower-case letters, digits, '-', '_' and '.', and no '/', at most "
                    + dev.fundament.error.Bounds.PROVIDER + " characters; rename '" + name + "'");
        }
        if (p.type() == null) {
            return;
        }
        if (p.type() == ProviderType.LOCAL) {
            if (p.apiKey() != null || p.baseUrl() != null) {
                problem(path, "a local provider runs in-process: remove base_url and api_key");
            }
            if (p.healthCheck() != null) {
                problem(path + ".health_check", "a local provider runs in-process and needs no health check; remove it");
            }
            return;
        }
        if (p.baseUrl() == null) {
            problem(path + ".base_url", "required for type " + p.type().wire()
                    + ", for example https://my-resource.openai.azure.com");
        } else {
            checkUrl(path + ".base_url", p.baseUrl());
        }
        if (p.apiKey() != null) {
            secret(path + ".api_key", p.apiKey());
        } else if (needsKey(p)) {
            problem(path + ".api_key", "required for " + p.type().wire() + " at " + p.baseUrl()
                    + "; set it to a reference such as env:" + name.toUpperCase().replace('-', '_') + "_API_KEY");
        }
        positive(path + ".timeouts.connect", p.timeouts().connect());
        positive(path + ".timeouts.first_token", p.timeouts().firstToken());
        positive(path + ".timeouts.idle", p.timeouts().idle());
        positive(path + ".timeouts.total", p.timeouts().total());
        if (p.maxConnections() < 1) {
            problem(path + ".max_connections", "must be at least 1, was " + p.maxConnections());
        }
        if (p.defaultMaxTokens() < 1) {
            problem(path + ".default_max_tokens", "must be at least 1, was " + p.defaultMaxTokens());
        }
        HealthCheckSpec h = p.healthCheck();
        if (h != null) {
            if (!h.path().startsWith("/")) {
                problem(path + ".health_check.path", "expected a path below the base URL starting with '/', was '" + h.path() + "'");
            }
            positive(path + ".health_check.interval", h.interval());
            positive(path + ".health_check.timeout", h.timeout());
        }
    }

    private static boolean needsKey(ProviderSpec p) {
        return p.type() == ProviderType.AZURE_OPENAI
                || (p.type() == ProviderType.OPENAI || p.type() == ProviderType.ANTHROPIC)
                && p.baseUrl().equals(p.type().defaultBaseUrl());
    }

    private void model(FundamentSpec spec, String name, ModelSpec m) {
        String path = "models." + name;
        if (name.isBlank() || name.length() > dev.fundament.error.Bounds.MODEL) {
            problem(path, "a model name must not be blank, and has at most " + dev.fundament.error.Bounds.MODEL + " characters");
        }
        boolean single = m.provider() != null || m.model() != null;
        if (single && !m.targets().isEmpty()) {
            problem(path, "give either provider and model, or targets, not both");
            return;
        }
        if (!single && m.targets().isEmpty()) {
            problem(path, "missing a target: give provider (and model), or a list of targets");
            return;
        }
        if (single && m.provider() == null) {
            problem(path + ".provider", "required key is missing; defined providers: " + spec.providers().keySet());
            return;
        }
        List<TargetSpec> targets = m.allTargets();
        boolean weighted = targets.stream().anyMatch(t -> t != null && t.weight() != null);
        if (weighted && targets.stream().filter(t -> t != null && t.weight() != null).mapToInt(TargetSpec::weight).sum() <= 0) {
            problem(path + ".targets", "weights add up to 0: give at least one target a positive weight");
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec t = targets.get(i);
            if (t == null) {
                continue;
            }
            String tPath = single ? path : path + ".targets[" + i + "]";
            if (t.model() != null && t.model().length() > dev.fundament.error.Bounds.MODEL) {
                problem(tPath + ".model", "at most " + dev.fundament.error.Bounds.MODEL + " characters (ledger.upstream_model)");
            }
            if (t.weight() != null && (t.weight() < 0 || t.weight() > 1000)) {
                problem(tPath + ".weight", "expected a whole number from 0 to 1000, was " + t.weight());
            }
            ProviderSpec p = spec.providers().get(t.provider());
            if (p == null) {
                problem(tPath + ".provider", "unknown provider '" + t.provider() + "'; defined: "
                        + String.join(", ", spec.providers().keySet()));
            } else if (p.type() == ProviderType.ANTHROPIC && m.kind() == ModelKind.EMBEDDING) {
                problem(tPath + ".provider", "provider '" + t.provider() + "' (anthropic) has no embedding models");
            } else if (p.type() == ProviderType.LOCAL && m.kind() == ModelKind.CHAT) {
                problem(path + ".kind", "provider '" + t.provider() + "' serves in-process embedding models only; set kind: embedding");
            }
            condition(tPath + ".when", t.when());
        }
        if (m.strategy() == RouteStrategy.WEIGHTED && !weighted) {
            problem(path + ".strategy", "weighted needs targets with a weight");
        }
        condition(path + ".rollout", m.rollout());
        if (m.timeout() != null) {
            positive(path + ".timeout", m.timeout());
        }
        ShadowSpec shadow = m.shadow();
        if (shadow != null) {
            if (m.kind() != ModelKind.CHAT) {
                problem(path + ".shadow", "shadow traffic is for chat models only");
            }
            if (shadow.provider() != null && !spec.providers().containsKey(shadow.provider())) {
                problem(path + ".shadow.provider", "unknown provider '" + shadow.provider() + "'; defined: "
                        + String.join(", ", spec.providers().keySet()));
            }
            if (shadow.percent() < 0 || shadow.percent() > 100) {
                problem(path + ".shadow.percent", "expected a whole number from 0 to 100, was " + shadow.percent());
            }
        }
    }

    private void condition(String path, ConditionSpec c) {
        if (c == null) {
            return;
        }
        if (c.percent() != null && (c.percent() < 0 || c.percent() > 100)) {
            problem(path + ".percent", "expected a whole number from 0 to 100, was " + c.percent());
        }
        c.headers().forEach((name, value) -> {
            if (name.isBlank() || value == null) {
                problem(path + ".headers." + name, "expected a header name and the value it must have");
            }
        });
        c.metadata().forEach((name, value) -> {
            if (value == null) {
                problem(path + ".metadata." + name, "expected the value the key's metadata must have");
            }
        });
    }

    private void checkUrl(String path, String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problem(path, "expected an http or https URL, found '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            problem(path, "not a URL: '" + url + "'");
        }
    }

    private void positive(String path, Duration d) {
        if (d.isNegative() || d.isZero()) {
            problem(path, "must be longer than zero");
        }
    }

    private void secret(String path, String reference) {
        String value = resolve(path, reference);
        if (value != null) {
            secrets.put(path, value);
        }
    }

    private String resolve(String path, String reference) {
        if (reference.startsWith("env:")) {
            String var = reference.substring(4);
            String value = env.get(var);
            if (value == null || value.isBlank()) {
                problem(path, "environment variable " + var + " is not set");
                return null;
            }
            return value;
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                return Files.readString(file).strip();
            } catch (Exception e) {
                problem(path, "cannot read secret file " + file + ": " + e.getClass().getSimpleName());
                return null;
            }
        }
        return reference;
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }
}
