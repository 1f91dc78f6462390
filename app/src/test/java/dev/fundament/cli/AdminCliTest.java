package dev.fundament.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code ./fundament keys|limits|usage} commands against a running instance. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class AdminCliTest {

    private static final Pattern KEY = Pattern.compile("^  (fk-\\S+)$", Pattern.MULTILINE);
    private static final Pattern ID = Pattern.compile("id ([0-9a-f-]{36})\\)");

    record Run(int code, String out, String err) {
    }

    private static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("--url", "http://127.0.0.1:" + RestAssured.port));
        all.addAll(List.of(args));
        int code = AdminCli.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run admin(String... args) {
        return cli(Map.of("FUNDAMENT_KEY", Upstreams.ADMIN_KEY), args);
    }

    @Test
    void keysAreCreatedListedRotatedAndRevoked() {
        Run created = admin("keys", "create", "--name", "cli-bot", "--team", "sales", "--service", "--model", "gpt-sim",
                "--meta", "use_case=cli-drafts", "--expires", "2030-01-01");
        assertThat(created.code()).as(created.err()).isZero();
        Matcher key = KEY.matcher(created.out());
        Matcher id = ID.matcher(created.out());
        assertThat(key.find()).as(created.out()).isTrue();
        assertThat(id.find()).isTrue();
        String plaintext = key.group(1);

        RestAssured.given().header("Authorization", "Bearer " + plaintext).contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);

        Run list = admin("keys", "list", "--team", "sales");
        assertThat(list.out()).startsWith("ID").contains(id.group(1)).contains("cli-bot").doesNotContain(plaintext);

        Run rotated = admin("keys", "rotate", id.group(1));
        assertThat(rotated.code()).isZero();
        assertThat(KEY.matcher(rotated.out()).find()).isTrue();
        RestAssured.given().header("Authorization", "Bearer " + plaintext).get("/v1/models").then().statusCode(401);

        Matcher newId = ID.matcher(rotated.out());
        assertThat(newId.find()).isTrue();
        assertThat(admin("keys", "revoke", newId.group(1)).out()).startsWith("Revoked fk-");
        Run again = admin("keys", "revoke", newId.group(1));
        assertThat(again.code()).isEqualTo(AdminCli.REFUSED);
        assertThat(again.err()).contains("HTTP 409").contains("already revoked");
    }

    @Test
    void limitsAndUsageReports() {
        assertThat(admin("limits", "set", "model", "gpt-sim", "--rpm", "100000").code()).isZero();
        assertThat(admin("limits", "list").out()).contains("model").contains("gpt-sim").contains("100000");
        assertThat(admin("limits", "clear", "model", "gpt-sim").code()).isZero();

        RestAssured.given().contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        Run byModel = admin("usage", "--by", "model");
        assertThat(byModel.code()).as(byModel.err()).isZero();
        assertThat(byModel.out()).startsWith("Usage by model").contains("GROUP").contains("gpt-sim");
        Run csv = admin("usage", "--by", "model", "--csv");
        assertThat(csv.out()).startsWith("group,requests,errors,input_tokens,output_tokens,cached_tokens,cost_");
        assertThat(admin("usage", "roi").out()).startsWith("Return on investment").contains("USE CASE");
        assertThat(admin("budgets").out()).startsWith("Budgets, in EUR").contains("budgeted").contains("day");
        Run verified = admin("audit", "verify");
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("Audit trail verified: intact.");
        assertThat(admin("audit", "export").out()).contains("\"kind\":\"request\"");
        assertThat(admin("audit", "processing").out()).contains("records_of_processing");
    }

    @Test
    void mistakesAreExplained() {
        Run noKey = cli(Map.of(), "keys", "list", "--data", "/nonexistent");
        assertThat(noKey.code()).isEqualTo(AdminCli.USAGE);
        assertThat(noKey.err()).contains("FUNDAMENT_KEY").contains("/nonexistent/admin.key");

        Run badKey = cli(Map.of("FUNDAMENT_KEY", "fk-not-a-real-key-000000000000000000000000"), "keys", "list");
        assertThat(badKey.code()).isEqualTo(AdminCli.REFUSED);
        assertThat(badKey.err()).contains("HTTP 401").doesNotContain("fk-not-a-real-key");

        Run badBy = admin("usage", "--by", "colour");
        assertThat(badBy.err()).contains("HTTP 400").contains("group_by");
        assertThat(admin("keys", "create").err()).contains("Missing --name");
        assertThat(admin("frobnicate").code()).isEqualTo(AdminCli.USAGE);

        Run down = cli(Map.of("FUNDAMENT_KEY", Upstreams.ADMIN_KEY), "keys", "list", "--url", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(AdminCli.UNAVAILABLE);
    }

    @Test
    void collectionsShowTheirSourcesTheirFailedDocumentsAndSearch() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Run status = admin("collections", "status", "manuals");
        while (!status.out().contains("2 documents, 1 failed")) {
            assertThat(System.nanoTime()).as(status.out() + status.err()).isLessThan(deadline);
            status = admin("collections", "status", "manuals");
        }
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("share").contains("nas").contains("failing").contains("not-mounted");
        Run failed = admin("collections", "failed", "manuals");
        assertThat(failed.out()).contains("share:scan.pdf").contains("scan.pdf");
        Run found = admin("collections", "search", "manuals", "nitrogen for stainless steel", "--top", "1");
        assertThat(found.code()).as(found.err()).isZero();
        assertThat(found.out()).startsWith("1. NW-500 Laser").contains("share:laser.md");
        Run unknown = admin("collections", "status", "nope");
        assertThat(unknown.code()).isEqualTo(AdminCli.REFUSED);
        assertThat(unknown.err()).contains("does not exist");
    }

    @Test
    void aCollectionIsCreatedFromASettingsFileAndDeleted() throws Exception {
        java.nio.file.Path settings = java.nio.file.Files.createTempFile("collection", ".yaml");
        java.nio.file.Files.writeString(settings, """
                owner: design
                readers: [public]
                sources:
                  - {name: web, type: push}
                """);
        Run created = admin("collections", "create", "cli-faq", "--settings", settings.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).startsWith("cli-faq (owner design, api)").contains("web");
        java.nio.file.Files.writeString(settings, "owner: design\nreaders: [nobody]\n");
        Run refused = admin("collections", "create", "cli-bad", "--settings", settings.toString());
        assertThat(refused.code()).isEqualTo(AdminCli.REFUSED);
        assertThat(refused.err()).contains("collections.cli-bad.readers[0]");
        Run deleted = admin("collections", "delete", "cli-faq");
        assertThat(deleted.out()).contains("Deleted collection cli-faq");
        assertThat(admin("collections", "status", "cli-faq").code()).isEqualTo(AdminCli.REFUSED);
    }
}
