package dev.fundament.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fundament keys|limits|budgets|usage …}: calls a running Fundament's admin API with the key in
 * {@code FUNDAMENT_KEY} (else the first-start key in {@code <data>/admin.key}) and prints tables, or
 * the raw JSON with {@code --json}. Exit codes: 0 done, 1 refused by the server, 64 bad usage,
 * 69 server unreachable.
 */
public final class AdminCli {

    static final int REFUSED = 1;
    static final int USAGE = 64;
    static final int UNAVAILABLE = 69;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs one command, such as {@code keys list --team sales}; returns the exit code. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        AdminCli cli = new AdminCli(env, out, err);
        try {
            return cli.dispatch(Args.parse(args));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println();
            err.println(help());
            return USAGE;
        }
    }

    private int dispatch(Args a) {
        String group = a.word(0, "a command: keys, limits, budgets, usage, audit or collections");
        return switch (group) {
            case "keys" -> keys(a);
            case "limits" -> limits(a);
            case "usage" -> usage(a);
            case "audit" -> audit(a);
            case "collections" -> new CollectionsCli(this, out).run(a);
            case "budgets" -> call(a, "GET", "/admin/v1/budgets", null, r -> {
                out.println("Budgets, in " + r.path("currency").asText());
                table(r.path("data"), List.of("scope", "subject", "period", "limit", "spent", "remaining", "used_percent",
                        "resets_at"));
            });
            default -> throw new IllegalArgumentException("Unknown command '" + group + "'.");
        };
    }

    private int keys(Args a) {
        String action = a.word(1, "keys create|list|show|rotate|revoke");
        return switch (action) {
            case "create" -> {
                ObjectNode body = JSON.createObjectNode();
                body.put("name", a.required("--name"));
                a.option("--team").ifPresent(t -> body.put("team", t));
                a.option("--subject").ifPresent(s -> body.put("subject", s));
                if (a.flag("--service")) {
                    body.put("service", true);
                }
                a.all("--role").forEach(r -> body.withArray("roles").add(r));
                a.all("--model").forEach(m -> body.withArray("allowed_models").add(m));
                a.option("--expires").ifPresent(e -> body.put("expires_at", e.length() == 10 ? e + "T00:00:00Z" : e));
                for (String kv : a.all("--meta")) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--meta expects key=value, got '" + kv + "'.");
                    }
                    body.with("metadata").put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                yield call(a, "POST", "/admin/v1/keys", body, this::printNewKey);
            }
            case "list" -> call(a, "GET", "/admin/v1/keys" + query("team", a.option("--team").orElse(null)), null,
                    r -> table(r.path("data"), List.of("id", "prefix", "name", "team", "roles", "expires_at", "revoked_at")));
            case "show" -> call(a, "GET", "/admin/v1/keys/" + path(a.word(2, "the key id")), null, this::printObject);
            case "rotate" -> call(a, "POST", "/admin/v1/keys/" + path(a.word(2, "the key id")) + "/rotate", null, this::printNewKey);
            case "revoke" -> call(a, "DELETE", "/admin/v1/keys/" + path(a.word(2, "the key id")), null,
                    r -> out.println("Revoked " + r.path("prefix").asText() + "… (" + r.path("name").asText() + ")."));
            default -> throw new IllegalArgumentException("Unknown keys command '" + action + "'.");
        };
    }

    private int limits(Args a) {
        String action = a.word(1, "limits list|set|clear");
        return switch (action) {
            case "list" -> call(a, "GET", "/admin/v1/limits", null,
                    r -> table(r.path("data"), List.of("scope", "subject", "team", "requests_per_minute", "tokens_per_minute",
                            "updated_by")));
            case "set" -> {
                ObjectNode body = JSON.createObjectNode();
                a.option("--rpm").ifPresent(v -> body.put("requests_per_minute", number(v, "--rpm")));
                a.option("--tpm").ifPresent(v -> body.put("tokens_per_minute", number(v, "--tpm")));
                yield call(a, "PUT", "/admin/v1/limits/" + path(a.word(2, "the scope: key, user, team or model")) + "/"
                        + path(a.word(3, "the key id, user, team or model")), body, this::printObject);
            }
            case "clear" -> call(a, "DELETE", "/admin/v1/limits/" + path(a.word(2, "the scope: key, user, team or model"))
                    + "/" + path(a.word(3, "the key id, user, team or model")), null,
                    r -> out.println("Removed; fundament.yaml's limit applies again."));
            default -> throw new IllegalArgumentException("Unknown limits command '" + action + "'.");
        };
    }

    /** Exit codes of {@code audit verify}: 0 intact, {@value #TAMPERED} damage found. */
    static final int TAMPERED = 2;

    private int audit(Args a) {
        String action = a.word(1, "audit verify|export|subject|erase|processing");
        return switch (action) {
            case "verify" -> {
                int[] code = {0};
                int sent = call(a, "GET", "/admin/v1/audit/verify", null, r -> {
                    for (JsonNode chain : r.path("chains")) {
                        JsonNode p = chain.path("problem");
                        out.printf("chain %s: %d records, %d signed checkpoints, %s%n", chain.path("instance").asText(),
                                chain.path("records").asLong(), chain.path("checkpoints").asInt(),
                                p.isMissingNode() ? "intact" : p.path("kind").asText() + " at record " + p.path("seq").asLong()
                                        + ": " + p.path("message").asText());
                    }
                    out.println(r.path("ok").asBoolean() ? "Audit trail verified: intact." : "Audit trail DAMAGED.");
                    if (!r.path("ok").asBoolean()) {
                        code[0] = TAMPERED;
                    }
                });
                yield sent != 0 ? sent : code[0];
            }
            case "export" -> send(a, "GET", "/admin/v1/audit/records" + query2("from", a.option("--from").orElse(null),
                    "to", a.option("--to").orElse(null)), null, body -> out.print(body));
            case "processing" -> call(a, "GET", "/admin/v1/audit/processing", null, r -> out.println(r.toPrettyString()));
            case "subject" -> call(a, "GET", "/admin/v1/audit/subjects/" + path(a.word(2, "the data subject (user id)")), null,
                    r -> out.println(r.toPrettyString()));
            case "erase" -> call(a, "DELETE", "/admin/v1/audit/subjects/" + path(a.word(2, "the data subject (user id)"))
                    + "/payloads", null, r -> out.println(r.path("erased").asBoolean()
                    ? "Erased: the payloads of " + r.path("subject").asText() + " can no longer be read; the chain still verifies."
                    : "Nothing to erase: no payload key for " + r.path("subject").asText() + "."));
            default -> throw new IllegalArgumentException("Unknown audit command '" + action + "'.");
        };
    }

    private static String query2(String n1, String v1, String n2, String v2) {
        StringBuilder q = new StringBuilder();
        if (v1 != null) {
            q.append('?').append(n1).append('=').append(URLEncoder.encode(v1, StandardCharsets.UTF_8));
        }
        if (v2 != null) {
            q.append(q.isEmpty() ? '?' : '&').append(n2).append('=').append(URLEncoder.encode(v2, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private int usage(Args a) {
        boolean roi = a.words().size() > 1 && a.word(1, "").equals("roi");
        Map<String, String> params = new LinkedHashMap<>();
        if (!roi) {
            params.put("group_by", a.option("--by").orElse("team"));
        }
        a.option("--from").ifPresent(v -> params.put("from", v));
        a.option("--to").ifPresent(v -> params.put("to", v));
        a.option("--team").ifPresent(v -> params.put("team", v));
        boolean csv = a.flag("--csv");
        if (csv && !roi) {
            params.put("format", "csv");
        }
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String target = (roi ? "/admin/v1/usage/roi" : "/admin/v1/usage") + q;
        if (csv && !roi) {
            return send(a, "GET", target, null, body -> out.print(body));
        }
        return call(a, "GET", target, null, r -> {
            out.println((roi ? "Return on investment" : "Usage by " + r.path("group_by").asText()) + ", "
                    + r.path("from").asText() + " to " + r.path("to").asText() + ", in " + r.path("currency").asText());
            table(r.path("data"), roi ? List.of("use_case", "requests", "hours_saved", "value_saved", "cost", "net")
                    : List.of("group", "requests", "errors", "input_tokens", "output_tokens", "cached_tokens", "cost"));
        });
    }

    interface Printer {
        void print(JsonNode answer);
    }

    int call(Args a, String method, String target, JsonNode body, Printer printer) {
        return send(a, method, target, body, text -> {
            JsonNode answer;
            try {
                answer = JSON.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable answer from Fundament", e);
            }
            if (a.flag("--json")) {
                out.println(answer.toPrettyString());
            } else {
                printer.print(answer);
            }
        });
    }

    private int send(Args a, String method, String target, JsonNode body, java.util.function.Consumer<String> onSuccess) {
        String base = a.option("--url").orElse(env.getOrDefault("FUNDAMENT_URL", "http://127.0.0.1:8080"));
        String key = adminKey(a);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + target))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("Cannot reach Fundament at " + base + " (" + e.getClass().getSimpleName()
                    + "). Is it running? Set --url or FUNDAMENT_URL.");
            return UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNAVAILABLE;
        }
        if (response.statusCode() >= 400) {
            String message;
            try {
                message = JSON.readTree(response.body()).path("error").path("message").asText(response.body());
            } catch (IOException e) {
                message = response.body();
            }
            err.println("Refused (HTTP " + response.statusCode() + "): " + message);
            return REFUSED;
        }
        onSuccess.accept(response.body());
        return 0;
    }

    private String adminKey(Args a) {
        String key = env.get("FUNDAMENT_KEY");
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        Path file = Path.of(a.option("--data").orElse("data")).resolve("admin.key");
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("No admin key: set FUNDAMENT_KEY, or run where " + file
                    + " (written at first start) is readable, or pass --data DIR.");
        }
    }

    private void printNewKey(JsonNode k) {
        out.println("Key " + k.path("prefix").asText() + "… (" + k.path("name").asText() + ", team "
                + (k.path("team").isNull() ? "none" : k.path("team").asText()) + ", id " + k.path("id").asText() + "):");
        out.println();
        out.println("  " + k.path("key").asText());
        out.println();
        out.println("It is shown this once; store it now.");
    }

    void printObject(JsonNode o) {
        o.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("object")) {
                out.printf("%-20s %s%n", e.getKey(), cell(e.getValue()));
            }
        });
    }

    void table(JsonNode rows, List<String> columns) {
        List<String[]> lines = new ArrayList<>();
        lines.add(columns.stream().map(c -> c.toUpperCase().replace('_', ' ')).toArray(String[]::new));
        for (JsonNode row : rows) {
            lines.add(columns.stream().map(c -> cell(row.path(c))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                b.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", line[i]));
            }
            out.println(b.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "-";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(",", parts);
        }
        return v.isObject() ? v.toString() : v.asText();
    }

    private static int number(String text, String flag) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a whole number, got '" + text + "'.");
        }
    }

    private static String query(String name, String value) {
        return value == null ? "" : "?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String help() {
        return """
                Admin commands (call a running Fundament; key from FUNDAMENT_KEY, else <data>/admin.key;
                server from --url or FUNDAMENT_URL, default http://127.0.0.1:8080; --json prints raw JSON):
                  fundament keys create --name NAME [--team T] [--role user|team-admin|auditor|metrics|admin]...
                                        [--service] [--subject S] [--model M]... [--expires 2027-06-30]
                                        [--meta use_case=email-drafts]...
                  fundament keys list [--team T]  |  keys show ID  |  keys rotate ID  |  keys revoke ID
                  fundament limits list  |  limits set key|user|team|model ID [--rpm N] [--tpm N]
                  fundament limits clear key|user|team|model ID
                  fundament usage [--by team|user|key|model|tag|day] [--from 2026-11-01] [--to 2026-11-30]
                                  [--team T] [--csv]
                  fundament usage roi [--from D] [--to D] [--team T]
                  fundament budgets      (each budget's spend this day or month)
                  fundament audit verify   (exit 2 when damaged)  |  audit export [--from D] [--to D] > trail.jsonl
                  fundament audit subject USER   (data-subject access)  |  audit erase USER   (crypto-shredding)
                  fundament audit processing   (records of processing, GDPR Art. 30, from the configuration)
                  fundament collections list  |  collections status NAME  |  collections sync NAME
                  fundament collections create NAME --settings crm.yaml  |  collections delete NAME
                  fundament collections failed NAME   (documents that could not be indexed, with reasons)
                  fundament collections search NAME "question" [--top N]""";
    }

    /** Words and {@code --options} of a command line; options may repeat. */
    record Args(List<String> words, Map<String, List<String>> options) {

        private static final java.util.Set<String> FLAGS = java.util.Set.of("--service", "--csv", "--json");

        static Args parse(List<String> args) {
            List<String> words = new ArrayList<>();
            Map<String, List<String>> options = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (FLAGS.contains(arg)) {
                    options.computeIfAbsent(arg, k -> new ArrayList<>()).add("true");
                } else if (arg.startsWith("--")) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException("Option " + arg + " needs a value.");
                    }
                    options.computeIfAbsent(arg, k -> new ArrayList<>()).add(args.get(++i));
                } else {
                    words.add(arg);
                }
            }
            return new Args(words, options);
        }

        String word(int index, String what) {
            if (index >= words.size()) {
                throw new IllegalArgumentException("Missing " + what + ".");
            }
            return words.get(index);
        }

        java.util.Optional<String> option(String name) {
            List<String> values = options.get(name);
            return values == null ? java.util.Optional.empty() : java.util.Optional.of(values.getLast());
        }

        String required(String name) {
            return option(name).orElseThrow(() -> new IllegalArgumentException("Missing " + name + "."));
        }

        List<String> all(String name) {
            return options.getOrDefault(name, List.of());
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }
    }
}
