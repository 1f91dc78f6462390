package dev.fundament.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code fundament collections …}: create one from a settings file (YAML or JSON, as a collection in
 * fundament.yaml), delete one; each collection's documents, chunks and sources; a source's
 * progress while it runs (documents, chunks, rate, ETA); the documents that failed and why; a search.
 */
final class CollectionsCli {

    private final AdminCli cli;
    private final PrintStream out;

    CollectionsCli(AdminCli cli, PrintStream out) {
        this.cli = cli;
        this.out = out;
    }

    int run(AdminCli.Args a) {
        String action = a.word(1, "collections list|status|create|delete|sync|failed|search");
        return switch (action) {
            case "create" -> {
                String name = a.word(2, "the collection's name");
                String file = a.required("--settings");
                JsonNode settings;
                try {
                    settings = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                            .readTree(java.nio.file.Path.of(file).toFile());
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
                }
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name);
                body.set("settings", settings);
                yield cli.call(a, "POST", "/admin/v1/collections", body, this::status);
            }
            case "delete" -> cli.call(a, "DELETE", "/admin/v1/collections/" + name(a), null,
                    r -> out.println("Deleted collection " + r.path("name").asText() + " and its documents."));
            case "list" -> cli.call(a, "GET", "/admin/v1/collections", null, r -> cli.table(r.path("data"),
                    List.of("name", "owner", "origin", "documents", "failed_documents", "chunks", "description")));
            case "status" -> cli.call(a, "GET", "/admin/v1/collections/" + name(a), null, this::status);
            case "sync" -> cli.call(a, "POST", "/admin/v1/collections/" + name(a) + "/sync", null,
                    r -> out.println("Sources of " + r.path("name").asText() + " run now; follow with: fundament collections status "
                            + r.path("name").asText()));
            case "failed" -> cli.call(a, "GET", "/admin/v1/collections/" + name(a) + "/documents?status=failed&limit=1000", null,
                    r -> cli.table(r.path("data"), List.of("id", "reason", "uri")));
            case "search" -> {
                String collection = name(a);
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("query", a.word(3, "the search text, quoted"));
                a.option("--top").ifPresent(n -> body.put("top_k", Integer.parseInt(n)));
                yield cli.call(a, "POST", "/v1/collections/" + collection + "/search", body, r -> {
                    for (JsonNode hit : r.path("data")) {
                        out.printf("%d. %s  (%s, score %.3f)%n   %s%n", hit.path("rank").asInt(), hit.path("title").asText(),
                                hit.path("document").asText(), hit.path("score").asDouble(),
                                hit.path("text").asText().replace('\n', ' '));
                    }
                });
            }
            default -> throw new IllegalArgumentException("Unknown collections command '" + action + "'.");
        };
    }

    private static String name(AdminCli.Args a) {
        return AdminCli.path(a.word(2, "the collection's name"));
    }

    private void status(JsonNode r) {
        out.printf("%s (owner %s, %s): %d documents, %d failed, %d chunks; this instance's index holds %d chunks%n",
                r.path("name").asText(), r.path("owner").asText(), r.path("origin").asText(), r.path("documents").asLong(),
                r.path("failed_documents").asLong(), r.path("chunks").asLong(), r.path("indexed_chunks").asLong());
        for (JsonNode s : r.path("sources")) {
            out.printf("  %-12s %-12s %-8s last run %s%s%n", s.path("name").asText(), s.path("type").asText(),
                    s.path("state").asText(), s.path("last_run_at").asText("never"),
                    s.path("error").isNull() || s.path("error").isMissingNode() ? "" : "  error: " + s.path("error").asText());
            JsonNode p = s.path("progress");
            if (!p.isMissingNode()) {
                out.printf("               %s: %d of %s documents (%d indexed, %d unchanged, %d failed, %d deleted), %d chunks,"
                                + " %.1f chunks/s%s%n", p.path("state").asText(), p.path("seen").asLong(),
                        p.path("expected").asLong() < 0 ? "?" : p.path("expected").asText(), p.path("indexed").asLong(),
                        p.path("unchanged").asLong(), p.path("failed").asLong(), p.path("deleted").asLong(),
                        p.path("chunks").asLong(), p.path("chunks_per_second").asDouble(),
                        p.path("eta_seconds").asLong() > 0 ? ", about " + p.path("eta_seconds").asLong() + " s left" : "");
            }
        }
    }
}
