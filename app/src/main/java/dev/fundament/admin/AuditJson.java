package dev.fundament.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.audit.AuditRecord;
import dev.fundament.audit.AuditTrail;
import dev.fundament.audit.AuditVerifier;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The audit trail as admin-API JSON. */
final class AuditJson {

    /** Records in snake_case, times as ISO instants. */
    private static final com.fasterxml.jackson.databind.ObjectMapper RECORDS = new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private AuditJson() {
    }

    static ObjectNode record(AuditRecord r) {
        ObjectNode o = RECORDS.valueToTree(r.withoutPayload());
        o.remove("payload");
        return o;
    }

    static ObjectNode report(AuditVerifier.Report report) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "audit_verification");
        o.put("ok", report.ok());
        ArrayNode chains = o.putArray("chains");
        for (AuditVerifier.ChainReport c : report.chains()) {
            ObjectNode n = chains.addObject();
            n.put("instance", c.instance());
            n.put("records", c.records());
            n.put("checkpoints", c.checkpoints());
            n.put("last_seq", c.lastSeq());
            n.put("rejected", c.rejected());
            n.put("witnessed_seq", c.witnessed());
            if (c.problem() != null) {
                ObjectNode p = n.putObject("problem");
                p.put("seq", c.problem().seq());
                p.put("record_id", c.problem().recordId());
                p.put("kind", c.problem().kind());
                p.put("message", c.problem().message());
            }
        }
        return o;
    }

    static ObjectNode subject(String subject, List<AuditTrail.Opened> records) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "data_subject_access");
        o.put("subject", subject);
        ArrayNode data = o.putArray("data");
        for (AuditTrail.Opened r : records) {
            ObjectNode n = record(r.record());
            n.put("payload_state", r.payloadState());
            n.put("payload", r.payload());
            data.add(n);
        }
        return o;
    }

    static String jsonl(List<AuditRecord> records) {
        StringBuilder out = new StringBuilder();
        for (AuditRecord r : records) {
            out.append(record(r).toString()).append('\n');
        }
        return out.toString();
    }

    /** Parses {@code from}/{@code to}: an ISO instant or a date (midnight UTC); every bad one is named. */
    static Instant[] range(String from, String to) {
        StringBuilder problems = new StringBuilder();
        String param = null;
        Instant start = parse(from, Instant.EPOCH, "from", problems);
        if (start == null) {
            param = "from";
        }
        Instant end = parse(to, Instant.now().plusSeconds(1), "to", problems);
        if (end == null && param == null) {
            param = "to";
        }
        if (!problems.isEmpty()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid export range: " + problems + ".", param);
        }
        return new Instant[] {start, end};
    }

    private static Instant parse(String text, Instant fallback, String name, StringBuilder problems) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.append(problems.isEmpty() ? "" : "; ").append('\'').append(name)
                    .append("': expected a date such as 2026-11-01 or an instant such as 2026-11-01T08:00:00Z, found '")
                    .append(text).append('\'');
            return null;
        }
    }
}
