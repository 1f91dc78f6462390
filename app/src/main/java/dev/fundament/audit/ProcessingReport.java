package dev.fundament.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.config.FundamentSpec;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.config.ModelSpec;
import dev.fundament.config.ProviderSpec;
import dev.fundament.config.TargetSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of processing (GDPR Art. 30), generated from the configuration: for every public model,
 * which providers receive its requests, where they run (host and labels such as on-prem or a region),
 * and what happens to each category of personal data on the way there — pseudonymised, redacted,
 * blocked, flagged, or sent as is — plus residency rules and how long records are kept.
 */
public final class ProcessingReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PERSONAL = List.of("email", "phone", "iban", "credit_card", "ip_address",
            "date_of_birth", "address", "national_id", "person");

    private ProcessingReport() {
    }

    public static ObjectNode of(FundamentSpec spec, String configHash) {
        ObjectNode report = JSON.createObjectNode();
        report.put("object", "records_of_processing");
        report.put("config_hash", configHash);
        report.put("controller_note", "Generated from fundament.yaml; complete it with the controller's name, purposes and"
                + " legal bases.");
        ArrayNode routes = report.putArray("routes");
        for (Map.Entry<String, ModelSpec> m : new java.util.TreeMap<>(spec.models()).entrySet()) {
            ObjectNode route = routes.addObject();
            route.put("model", m.getKey());
            ArrayNode recipients = route.putArray("recipients");
            for (TargetSpec t : m.getValue().allTargets()) {
                ProviderSpec p = spec.providers().get(t.provider());
                ObjectNode r = recipients.addObject();
                r.put("provider", t.provider());
                r.put("type", p == null ? null : p.type().wire());
                r.put("upstream_model", t.model());
                r.put("host", p == null || p.baseUrl() == null ? "in-process" : host(p.baseUrl()));
                ArrayNode labels = r.putArray("labels");
                (p == null ? List.<String>of() : t.provider().equals("local") ? List.of("on-prem") : p.labels())
                        .forEach(labels::add);
            }
            ObjectNode categories = route.putObject("personal_data");
            for (String category : PERSONAL) {
                categories.put(category, treatment(spec.guardrails(), m.getKey(), category));
            }
            ArrayNode residency = route.putArray("residency");
            for (GuardrailsSpec.ResidencySpec r : spec.guardrails().residency()) {
                if (r.models().isEmpty() || r.models().contains(m.getKey())) {
                    ObjectNode n = residency.addObject();
                    n.put("rule", r.name());
                    n.put("when", String.join(", ", r.detect()) + (r.teams().isEmpty() ? "" : " or teams " + r.teams()));
                    n.put("only_to_labels", String.join(", ", r.requireLabels()));
                }
            }
        }
        ObjectNode retention = report.putObject("retention");
        retention.put("audit_records_days", spec.audit().metadataDays());
        retention.put("audit_payloads", spec.audit().payloads() ? "kept " + spec.audit().payloadDays()
                + " days, AES-256-GCM per data subject, erasable" : "not kept (hashes only)");
        retention.put("usage_ledger", "kept; no prompt or answer content");
        return report;
    }

    /** What the input policies do to one category for one model; the first policy that covers it wins. */
    static String treatment(GuardrailsSpec g, String model, String category) {
        List<String> all = new ArrayList<>();
        for (GuardrailsSpec.PolicySpec p : g.policies()) {
            boolean covers = p.detect().contains(category) || p.detect().contains("personal_data");
            if (covers && p.on().input() && (p.models().isEmpty() || p.models().contains(model))) {
                String scope = p.teams().isEmpty() && p.keys().isEmpty() ? "" : " (for " + (p.teams().isEmpty() ? ""
                        : "teams " + p.teams()) + (p.keys().isEmpty() ? "" : " keys " + p.keys()) + ")";
                all.add(switch (p.action()) {
                    case PSEUDONYMIZE -> "pseudonymised before sending";
                    case REDACT -> "redacted before sending";
                    case BLOCK -> "blocked";
                    case FLAG -> "sent, flagged in the audit trail";
                } + scope + " by '" + p.name() + "'");
            }
        }
        return all.isEmpty() ? "sent as is (no policy)" : String.join("; ", all);
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
