package dev.fundament.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.ApiKey;
import dev.fundament.identity.KeyRequest;
import dev.fundament.identity.Role;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys as admin-API JSON, both ways. Reading a key request checks every field and reports all bad ones
 * in one 400 whose {@code param} is the first.
 */
final class KeyJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("name", "team", "roles", "service", "subject", "allowed_models",
            "metadata", "expires_at");

    private KeyJson() {
    }

    static KeyRequest request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The body must be a JSON object such as "
                    + "{\"name\": \"crm-bot\", \"team\": \"sales\"}.");
        }
        List<String[]> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add(new String[] {f, "unknown field; allowed: " + String.join(", ", FIELDS.stream().sorted().toList())});
            }
        });
        String name = text(body, "name", problems, true);
        String team = text(body, "team", problems, false);
        String subject = text(body, "subject", problems, false);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(body, "roles", problems)) {
            Role role = Role.fromWire(r);
            if (role == null) {
                problems.add(new String[] {"roles", "unknown role '" + r + "'; roles are admin, team-admin, auditor, metrics, user"});
            } else {
                roles.add(role);
            }
        }
        JsonNode service = body.get("service");
        if (service != null && !service.isNull() && !service.isBoolean()) {
            problems.add(new String[] {"service", "expected true or false, got " + kind(service)});
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = body.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                problems.add(new String[] {"metadata", "expected an object of strings, such as {\"cost_centre\": \"4711\"}, got " + kind(meta)});
            } else {
                meta.fields().forEachRemaining(e -> {
                    if (e.getValue().isTextual()) {
                        metadata.put(e.getKey(), e.getValue().asText());
                    } else {
                        problems.add(new String[] {"metadata." + e.getKey(), "expected a string, got " + kind(e.getValue())});
                    }
                });
            }
        }
        // read with the others: a string here once became an empty list, which means every model
        List<String> allowedModels = strings(body, "allowed_models", problems);
        Instant expires = null;
        String expiresText = text(body, "expires_at", problems, false);
        if (expiresText != null) {
            try {
                expires = Instant.parse(expiresText);
            } catch (DateTimeParseException e) {
                problems.add(new String[] {"expires_at", "expected an ISO-8601 instant such as 2027-01-31T00:00:00Z"});
            }
        }
        if (!problems.isEmpty()) {
            throw invalid("Invalid key request: ", problems);
        }
        return new KeyRequest(name, team, roles, service != null && service.asBoolean(), subject,
                new LinkedHashSet<>(allowedModels), metadata, expires);
    }

    private static String text(JsonNode body, String field, List<String[]> problems, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(new String[] {field, "required"});
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(new String[] {field, "expected a non-empty string" + (v.isTextual() ? "" : ", got " + kind(v))});
            return null;
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode body, String field, List<String[]> problems) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problems.add(new String[] {field, "expected an array of strings, such as [\"gpt-4o\"], got " + kind(v)});
            return out;
        }
        for (JsonNode n : v) {
            if (n.isTextual()) {
                out.add(n.asText());
            } else {
                problems.add(new String[] {field, "expected an array of strings"});
                break;
            }
        }
        return out;
    }

    private static String kind(JsonNode v) {
        return v.isTextual() ? "a string" : v.isNumber() ? "a number" : v.isBoolean() ? "a boolean" : v.isArray() ? "an array"
                : v.isObject() ? "an object" : "null";
    }

    /** One 400 naming every bad field, as {@code 'field': problem}; its {@code param} is the first. */
    static GatewayException invalid(String lead, List<String[]> problems) {
        StringBuilder message = new StringBuilder(lead);
        for (int i = 0; i < problems.size(); i++) {
            message.append(i == 0 ? "" : "; ").append('\'').append(problems.get(i)[0]).append("': ").append(problems.get(i)[1]);
        }
        return new GatewayException(ErrorKind.INVALID_REQUEST, message.append('.').toString(), problems.getFirst()[0]);
    }

    static ObjectNode key(ApiKey k, String plaintext) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", k.id());
        o.put("object", "api_key");
        if (plaintext != null) {
            o.put("key", plaintext);
        }
        o.put("prefix", k.prefix());
        o.put("name", k.name());
        o.put("team", k.team());
        ArrayNode roles = o.putArray("roles");
        k.roles().stream().map(Role::wire).sorted().forEach(roles::add);
        o.put("service", k.service());
        o.put("subject", k.subject());
        ArrayNode models = o.putArray("allowed_models");
        k.allowedModels().stream().sorted().forEach(models::add);
        ObjectNode meta = o.putObject("metadata");
        k.metadata().forEach(meta::put);
        o.put("created_at", k.createdAt().toString());
        o.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        o.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        o.put("replaced_by", k.replacedBy());
        return o;
    }

    static ObjectNode list(List<ApiKey> keys) {
        ObjectNode o = JSON.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        keys.forEach(k -> data.add(key(k, null)));
        return o;
    }
}
