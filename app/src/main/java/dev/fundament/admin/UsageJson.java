package dev.fundament.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.usage.BudgetGuard;
import dev.fundament.usage.LedgerStore;
import dev.fundament.usage.UsageReports;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Usage and ROI reports as JSON or CSV, and their query parameters, checked all at once. */
final class UsageJson {

    private UsageJson() {
    }

    /** A report query. */
    record Query(LedgerStore.Dimension groupBy, LocalDate from, LocalDate to, String team, boolean csv) {
    }

    static Query query(String groupBy, String from, String to, String team, String format, boolean needsGroup) {
        List<String> problems = new ArrayList<>();
        String firstParam = null;
        LedgerStore.Dimension dimension = null;
        if (needsGroup) {
            dimension = LedgerStore.Dimension.of(groupBy == null ? "day" : groupBy);
            if (dimension == null) {
                problems.add("'group_by': expected one of team, user, key, model, tag, day, found '" + groupBy + "'");
                firstParam = "group_by";
            }
        }
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        LocalDate start = date(from, today.withDayOfMonth(1), "from", problems);
        LocalDate end = date(to, today, "to", problems);
        if (firstParam == null && problems.size() > 0) {
            firstParam = problems.getFirst().substring(1, problems.getFirst().indexOf('\'', 1));
        }
        if (start != null && end != null && end.isBefore(start)) {
            problems.add("'to' (" + end + ") is before 'from' (" + start + ")");
            firstParam = firstParam == null ? "to" : firstParam;
        }
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            problems.add("'format': expected json or csv, found '" + format + "'");
            firstParam = firstParam == null ? "format" : firstParam;
        }
        if (!problems.isEmpty()) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Invalid report query: " + String.join("; ", problems) + ".",
                    firstParam);
        }
        return new Query(dimension, start, end, team, "csv".equals(format));
    }

    private static LocalDate date(String text, LocalDate fallback, String name, List<String> problems) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problems.add("'" + name + "': expected a date such as 2026-11-01, found '" + text + "'");
            return null;
        }
    }

    static ObjectNode usage(Query q, String currency, List<LedgerStore.UsageRow> rows) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "usage_report");
        o.put("group_by", q.groupBy().name().toLowerCase(Locale.ROOT));
        o.put("from", q.from().toString());
        o.put("to", q.to().toString());
        o.put("currency", currency);
        ArrayNode data = o.putArray("data");
        for (LedgerStore.UsageRow r : rows) {
            ObjectNode row = data.addObject();
            row.put("group", r.group());
            row.put("requests", r.requests());
            row.put("errors", r.errors());
            row.put("input_tokens", r.inputTokens());
            row.put("output_tokens", r.outputTokens());
            row.put("cached_tokens", r.cachedTokens());
            row.put("cost", money(r.costMicros()));
        }
        return o;
    }

    static String usageCsv(List<LedgerStore.UsageRow> rows, String currency) {
        StringBuilder csv = new StringBuilder("group,requests,errors,input_tokens,output_tokens,cached_tokens,cost_")
                .append(currency.toLowerCase(Locale.ROOT)).append('\n');
        for (LedgerStore.UsageRow r : rows) {
            csv.append(cell(r.group())).append(',').append(r.requests()).append(',').append(r.errors()).append(',')
                    .append(r.inputTokens()).append(',').append(r.outputTokens()).append(',').append(r.cachedTokens())
                    .append(',').append(money(r.costMicros()).toPlainString()).append('\n');
        }
        return csv.toString();
    }

    static ObjectNode roi(Query q, String currency, List<UsageReports.RoiRow> rows) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "roi_report");
        o.put("from", q.from().toString());
        o.put("to", q.to().toString());
        o.put("currency", currency);
        ArrayNode data = o.putArray("data");
        for (UsageReports.RoiRow r : rows) {
            ObjectNode row = data.addObject();
            row.put("use_case", r.useCase());
            row.put("requests", r.requests());
            row.put("hours_saved", round(r.minutesSaved() / 60.0));
            row.put("value_saved", round(r.valueSaved()));
            row.put("cost", round(r.cost()));
            row.put("net", round(r.net()));
        }
        return o;
    }

    static ObjectNode budgets(String currency, List<BudgetGuard.Status> rows) {
        ObjectNode o = KeyJson.JSON.createObjectNode();
        o.put("object", "list");
        o.put("currency", currency);
        ArrayNode data = o.putArray("data");
        for (BudgetGuard.Status b : rows) {
            ObjectNode row = data.addObject();
            row.put("scope", b.scope());
            row.put("subject", b.subject());
            row.put("period", b.period());
            row.put("limit", money(b.capMicros()));
            row.put("spent", money(b.spentMicros()));
            row.put("remaining", money(Math.max(0, b.capMicros() - b.spentMicros())));
            row.put("used_percent", b.capMicros() == 0 ? 100.0 : round(100.0 * b.spentMicros() / b.capMicros()));
            row.put("resets_at", b.resetsAt().toString());
        }
        return o;
    }

    private static BigDecimal money(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** A CSV cell; quoted when it holds a comma, quote or newline, and neutralised against formula injection. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
