package dev.fundament.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.config.LimitsSpec;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.usage.LimitOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rate limits as admin-API JSON. A body is {@code {"requests_per_minute": 60, "tokens_per_minute":
 * 100000}}; a field left out or {@code null} means no limit of that kind for the subject.
 */
final class LimitJson {

    private static final List<String> FIELDS = List.of("requests_per_minute", "tokens_per_minute");

    private LimitJson() {
    }

    static LimitsSpec.RateSpec request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The body must be a JSON object such as "
                    + "{\"requests_per_minute\": 60, \"tokens_per_minute\": 100000}.");
        }
        List<String[]> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add(new String[] {f, "unknown field; allowed: " + String.join(", ", FIELDS)});
            }
        });
        Integer requests = count(body, "requests_per_minute", problems);
        Integer tokens = count(body, "tokens_per_minute", problems);
        if (!problems.isEmpty()) {
            throw KeyJson.invalid("Invalid limit: ", problems);
        }
        return new LimitsSpec.RateSpec(requests, tokens);
    }

    private static Integer count(JsonNode body, String field, List<String[]> problems) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            problems.add(new String[] {field, "expected a whole number from 0 to " + Integer.MAX_VALUE + ", or null for no limit"});
            return null;
        }
        return v.asInt();
    }

    static ObjectNode limit(LimitOverride o) {
        ObjectNode n = KeyJson.JSON.createObjectNode();
        n.put("object", "rate_limit");
        n.put("scope", o.scope());
        n.put("subject", o.subject());
        n.put("team", o.team());
        rate(n, o.rate());
        n.put("updated_at", o.updatedAt().toString());
        n.put("updated_by", o.updatedBy());
        return n;
    }

    /** The admin-set limits, with fundament.yaml's beside them. */
    static ObjectNode list(List<LimitOverride> overrides, LimitsSpec configured) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "list");
        var data = o.putArray("data");
        overrides.forEach(l -> data.add(limit(l)));
        ObjectNode yaml = o.putObject("configured");
        rate(yaml.putObject("per_key"), configured.perKey());
        rate(yaml.putObject("per_user"), configured.perUser());
        rate(yaml.putObject("per_team"), configured.perTeam());
        rate(yaml.putObject("per_model"), configured.perModel());
        rates(yaml.putObject("teams"), configured.teams());
        rates(yaml.putObject("models"), configured.models());
        return o;
    }

    private static void rates(ObjectNode target, Map<String, LimitsSpec.RateSpec> rates) {
        rates.forEach((name, rate) -> rate(target.putObject(name), rate));
    }

    private static void rate(ObjectNode n, LimitsSpec.RateSpec rate) {
        n.put("requests_per_minute", rate.requestsPerMinute());
        n.put("tokens_per_minute", rate.tokensPerMinute());
    }
}
