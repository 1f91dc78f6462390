package dev.fundament.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.gateway.RouteGovernance;
import dev.fundament.routing.Condition;
import dev.fundament.routing.RouteTable;
import dev.fundament.routing.RoutingStore;
import dev.fundament.routing.ShadowResult;
import dev.fundament.routing.Target;
import java.util.Locale;

/** The JSON of {@code /admin/v1/routes}: each model's strategy, targets and their live state, and shadow results. */
final class RouteJson {

    private RouteJson() {
    }

    /** Each configured model: strategy, roll-out, admin-set weights, shadow, and each target's state and load. */
    static JsonNode routes(RouteTable table, RouteGovernance governance) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "list");
        var data = o.putArray("data");
        table.configured().forEach((name, route) -> {
            ObjectNode r = data.addObject();
            r.put("model", name);
            r.put("kind", route.kind().wire());
            r.put("strategy", route.strategy().wire());
            if (route.rollout() != Condition.ALWAYS) {
                r.set("rollout", KeyJson.JSON.valueToTree(route.rollout().describe()));
            }
            RoutingStore.Weights stored = governance.stored(name);
            if (stored != null) {
                ObjectNode w = r.putObject("weights_set");
                w.put("by", stored.updatedBy());
                w.put("at", stored.updatedAt().toString());
            }
            var targets = r.putArray("targets");
            for (Target t : route.targets()) {
                target(targets.addObject(), t);
            }
            if (route.shadow() != null) {
                ObjectNode s = r.putObject("shadow");
                s.put("percent", route.shadow().percent());
                target(s, route.shadow().target());
            }
        });
        return o;
    }

    private static void target(ObjectNode n, Target t) {
        n.put("provider", t.provider().name());
        n.put("model", t.upstreamModel());
        n.put("version", t.version());
        n.put("weight", t.weight());
        if (t.when() != Condition.ALWAYS) {
            n.set("when", KeyJson.JSON.valueToTree(t.when().describe()));
        }
        n.put("breaker", t.breaker().state().name().toLowerCase(Locale.ROOT));
        n.put("failure_rate", Math.round(t.breaker().failureRate() * 1000) / 1000.0);
        double latency = t.latency().millis();
        if (Double.isNaN(latency)) {
            n.putNull("latency_ms");
        } else {
            n.put("latency_ms", Math.round(latency * 10) / 10.0);
        }
        n.put("in_flight", t.inFlight().get());
        n.put("health", t.health().state().name().toLowerCase(Locale.ROOT));
        if (t.health().lastError() != null) {
            n.put("health_error", t.health().lastError());
        }
        ObjectNode admission = n.putObject("provider_admission");
        admission.put("limit", t.admission().limit());
        admission.put("in_flight", t.admission().inFlight());
        admission.put("queued", t.admission().queued());
    }

    static JsonNode shadows(String model, RouteGovernance.Shadows shadows) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "shadow_results");
        o.put("model", model);
        RoutingStore.ShadowSummary s = shadows.summary();
        ObjectNode summary = o.putObject("summary");
        summary.put("requests", s.requests());
        summary.put("primary_errors", s.primaryErrors());
        summary.put("shadow_errors", s.shadowErrors());
        summary.put("primary_latency_ms", Math.round(s.primaryLatencyMs() * 10) / 10.0);
        summary.put("shadow_latency_ms", Math.round(s.shadowLatencyMs() * 10) / 10.0);
        if (s.similarity() == null) {
            summary.putNull("similarity");
        } else {
            summary.put("similarity", Math.round(s.similarity() * 1000) / 1000.0);
        }
        var data = o.putArray("data");
        for (ShadowResult r : shadows.newest()) {
            ObjectNode n = data.addObject();
            n.put("request_id", r.requestId());
            n.put("at", r.at().toString());
            outcome(n.putObject("primary"), r.primary());
            outcome(n.putObject("shadow"), r.shadow());
            if (r.similarity() == null) {
                n.putNull("similarity");
            } else {
                n.put("similarity", Math.round(r.similarity() * 1000) / 1000.0);
            }
        }
        return o;
    }

    private static void outcome(ObjectNode n, ShadowResult.Outcome o) {
        n.put("target", o.target());
        n.put("version", o.version());
        n.put("status", o.status());
        n.put("latency_ms", o.latencyMs());
        n.put("completion_tokens", o.completionTokens());
        n.put("answer", o.answer());
    }

    /** @throws dev.fundament.error.GatewayException 400 unless the limit is a whole number from 1 to 500 */
    static int limit(String text) {
        return AdminRoutes.number(text, 20, 1, 500, "limit");
    }
}
