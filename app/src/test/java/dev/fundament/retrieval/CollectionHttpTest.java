package dev.fundament.retrieval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Company data through the API: pushed HR-only, team-only, group and public documents, and a caller
 * never receiving a chunk, snippet, citation or count they may not see — in search, in
 * {@code rag/<collection>} answers, streamed or not; a folder collection with a corrupt file and an
 * unreachable share; collections made through the admin API; and every bad input answered in the
 * OpenAI error shape.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class CollectionHttpTest {

    private static String hrAdmin;
    private static String hrUser;
    private static String salesUser;
    private static String council;
    private static String designAdmin;

    private static String key(String body) {
        return given().contentType("application/json").body(body).post("/admin/v1/keys").then().statusCode(201)
                .extract().path("key");
    }

    /** Once per class, in the first test's set-up (the server's port is known from then on). */
    @BeforeEach
    void documents() {
        if (hrAdmin != null) {
            return;
        }
        hrAdmin = key("{\"name\":\"hr-admin\",\"team\":\"hr\",\"roles\":[\"team-admin\"]}");
        hrUser = key("{\"name\":\"hanna\",\"team\":\"hr\",\"subject\":\"hanna\"}");
        salesUser = key("{\"name\":\"sam\",\"team\":\"sales\",\"subject\":\"sam\"}");
        council = key("{\"name\":\"carl\",\"team\":\"design\",\"subject\":\"carl\",\"metadata\":{\"groups\":\"works-council\"}}");
        designAdmin = key("{\"name\":\"design-admin\",\"team\":\"design\",\"roles\":[\"team-admin\"]}");
        push(hrAdmin, """
                {"documents": [
                  {"id": "travel", "title": "Travel policy", "media_type": "text/markdown", "readers": ["public"],
                   "text": "# Travel policy\\n\\nTrains are booked in second class. Journeys over four hours may be booked in first class."},
                  {"id": "salaries", "title": "Salary bands", "readers": ["team:hr"],
                   "text": "Salary bands 2026: band E1 from 52,000 to 61,000 euros, band E2 from 60,000 to 72,000 euros."},
                  {"id": "sales-bonus", "title": "Sales bonus", "readers": ["team:sales"],
                   "text": "The sales bonus is 3 percent of the margin of every closed deal, paid quarterly."},
                  {"id": "overtime", "title": "Overtime agreement", "readers": ["group:works-council"],
                   "text": "The works council agreement caps overtime at 20 hours per month."},
                  {"id": "sam-review", "title": "Review", "readers": ["user:sam"],
                   "text": "Performance review for Sam: exceeds expectations on salary bands and bonus targets."}
                ]}""").then().statusCode(200)
                .body("data.status", equalTo(List.of("indexed", "indexed", "indexed", "indexed", "indexed")));
    }

    private static Response push(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(body.replaceFirst("\\{", "{\"source\": \"intranet\", ")).post("/v1/collections/handbook/documents");
    }

    private static Response search(String key, String collection, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post("/v1/collections/" + collection + "/search");
    }

    private static Response ask(String key, String model, String question, boolean stream) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + question + "\"}]}")
                .post("/v1/chat/completions");
    }

    private static List<String> documents(Response r) {
        return r.then().statusCode(200).extract().jsonPath().getList("data.document");
    }

    @Test
    void eachCallerFindsExactlyTheDocumentsTheyMayRead() {
        String all = "{\"query\": \"salary bands bonus overtime trains\", \"top_k\": 50}";
        assertThat(documents(search(salesUser, "handbook", all)))
                .containsExactlyInAnyOrder("intranet:travel", "intranet:sales-bonus", "intranet:sam-review");
        assertThat(documents(search(hrUser, "handbook", all)))
                .containsExactlyInAnyOrder("intranet:travel", "intranet:salaries");
        assertThat(documents(search(council, "handbook", all)))
                .containsExactlyInAnyOrder("intranet:travel", "intranet:overtime");

        Response forSales = search(salesUser, "handbook", "{\"query\": \"What are the salary bands for E1?\"}");
        assertThat(forSales.asString()).doesNotContain("52,000").doesNotContain("salaries");
        JsonPath best = search(hrUser, "handbook", "{\"query\": \"What are the salary bands for E1?\", \"top_k\": 1}").jsonPath();
        assertThat(best.getString("data[0].document")).isEqualTo("intranet:salaries");
        assertThat(best.getString("data[0].text")).contains("52,000");
        assertThat(best.getString("data[0].source")).isEqualTo("intranet");
        assertThat(best.getDouble("data[0].score")).isPositive();
    }

    @Test
    void aTeamAdminCannotForgeAUserOrAGroupReader() {
        String salesLead = key("{\"name\":\"sales-lead\",\"team\":\"sales\",\"roles\":[\"team-admin\"]}");
        given().header("Authorization", "Bearer " + salesLead).contentType("application/json")
                .body("{\"name\":\"not-sam\",\"team\":\"sales\",\"subject\":\"sam\"}").post("/admin/v1/keys")
                .then().statusCode(403).body("error.param", equalTo("subject"));
        // a key named after someone: its subject is its name, but only an admin's key is trusted as user:<subject>
        String forged = given().header("Authorization", "Bearer " + salesLead).contentType("application/json")
                .body("{\"name\":\"sam\",\"team\":\"sales\"}").post("/admin/v1/keys")
                .then().statusCode(201).extract().path("key");
        String all = "{\"query\": \"salary bands bonus overtime trains review\", \"top_k\": 50}";
        assertThat(documents(search(forged, "handbook", all))).as("a user reader needs a key an admin issued, or SSO")
                .doesNotContain("intranet:sam-review").contains("intranet:sales-bonus");
        given().header("Authorization", "Bearer " + salesLead).contentType("application/json")
                .body("{\"name\":\"council\",\"team\":\"sales\",\"metadata\":{\"groups\":\"works-council\"}}")
                .post("/admin/v1/keys").then().statusCode(403);
        given().contentType("application/json").body("{\"name\":\"x\",\"metadata\":{\"issued_by\":\"admin\"}}")
                .post("/admin/v1/keys").then().statusCode(400).body("error.param", equalTo("metadata.issued_by"));
    }

    @jakarta.inject.Inject
    dev.fundament.usage.Ledger ledger;

    /**
     * The hostile sequence: a team admin made {"name": "ceo@corp.com", "metadata": {"auth": "sso"}}; the
     * key's calls were attributed to the CEO and it read the CEO's documents. Now the metadata is an
     * admin's to set (403 naming it), and the key without it is attributed to key:sales/ceo@corp.com and
     * reads what its team may read, not user:ceo@corp.com documents; an admin's key for the CEO does.
     */
    @Test
    void aTeamAdminCannotMakeAKeyThatIsSomeoneElse() {
        String salesLead = key("{\"name\":\"sales-lead-2\",\"team\":\"sales\",\"roles\":[\"team-admin\"]}");
        given().header("Authorization", "Bearer " + salesLead).contentType("application/json")
                .body("{\"name\":\"ceo@corp.com\",\"metadata\":{\"auth\":\"sso\"}}").post("/admin/v1/keys")
                .then().statusCode(403).body("error.code", equalTo("permission_denied")).body("error.param", equalTo("metadata.auth"));
        Response made = given().header("Authorization", "Bearer " + salesLead).contentType("application/json")
                .body("{\"name\":\"ceo@corp.com\"}").post("/admin/v1/keys");
        made.then().statusCode(201).body("subject", equalTo("key:sales/ceo@corp.com"));
        String impostor = made.path("key");
        push(hrAdmin, """
                {"documents": [{"id": "ceo-memo", "title": "Memo", "readers": ["user:ceo@corp.com"],
                  "text": "Confidential memo for the chief executive: the merger closes in March."}]}""").then().statusCode(200);

        String query = "{\"query\": \"confidential memo merger chief executive\", \"top_k\": 50}";
        assertThat(documents(search(impostor, "handbook", query))).doesNotContain("intranet:ceo-memo");
        String answer = ask(impostor, "rag/handbook", "When does the merger close?", false).then().statusCode(200).extract().asString();
        assertThat(answer).doesNotContain("March").doesNotContain("intranet:ceo-memo");
        String id = "impostor-" + System.nanoTime();
        given().header("Authorization", "Bearer " + impostor).header("x-request-id", id).contentType("application/json")
                .body("{\"model\":\"gpt-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(ledger.store().findByRequestId(id).getFirst().subject()).as("the ledger names the key, not the CEO")
                .isEqualTo("key:sales/ceo@corp.com");

        String ceo = key("{\"name\":\"ceo-assistant\",\"team\":\"sales\",\"subject\":\"ceo@corp.com\"}");
        assertThat(documents(search(ceo, "handbook", query))).as("an admin vouches for the CEO's key").contains("intranet:ceo-memo");
    }

    /** DELETE .../documents/%zz (or a trailing %) answered a bare 400, or a 500 from the decoder. */
    @Test
    void malformedPercentEscapesInAPathAre400InTheErrorShape() throws Exception {
        for (String path : List.of("/v1/collections/handbook/documents/%zz", "/v1/collections/handbook/documents/abc%",
                "/admin/v1/audit/subjects/a%g1")) {
            String answer = rawDelete(path);
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("\"type\":\"invalid_request_error\"")
                    .contains("\"code\":\"invalid_request\"").containsIgnoringCase("x-request-id");
        }
        // well-formed escapes that are not UTF-8 reach the route, which names the id
        given().header("Authorization", "Bearer " + hrAdmin).urlEncodingEnabled(false)
                .delete("/v1/collections/handbook/documents/intranet:%C3")
                .then().statusCode(400).body("error.param", equalTo("id"));
        push(hrAdmin, "{\"documents\": [{\"id\": \"grüße+1\", \"text\": \"Greetings to everyone in the plant.\"}]}")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + hrAdmin).urlEncodingEnabled(false)
                .delete("/v1/collections/handbook/documents/intranet:gr%C3%BC%C3%9Fe+1").then().statusCode(200)
                .body("id", equalTo("intranet:grüße+1"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    private String rawDelete(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("DELETE " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + Upstreams.ADMIN_KEY + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void ragAnswersCiteOnlyWhatTheCallerMayReadStreamedOrNot() {
        JsonPath hr = ask(hrUser, "rag/handbook", "What are the salary bands for E1?", false).then().statusCode(200)
                .extract().jsonPath();
        assertThat(hr.getString("choices[0].message.content")).contains("52,000").contains("[1]");
        assertThat(hr.getString("citations[0].document")).isEqualTo("intranet:salaries");
        assertThat(hr.getString("citations[0].title")).isEqualTo("Salary bands");
        assertThat(hr.getString("citations[0].snippet")).contains("band E1");

        String auditId = "rag-audit-" + System.nanoTime();
        given().header("Authorization", "Bearer " + hrUser).header("x-request-id", auditId).contentType("application/json")
                .body("{\"model\":\"rag/handbook\",\"messages\":[{\"role\":\"user\",\"content\":\"salary bands E1\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        String trail = given().get("/admin/v1/audit/records").then().statusCode(200).extract().asString();
        String record = trail.lines().filter(l -> l.contains(auditId)).findFirst().orElseThrow();
        assertThat(record).as("the audit record names the collection and the chunks the answer was given")
                .contains("\"action\":\"rag\"").contains("\"target\":\"handbook\"").contains("intranet:salaries#0");

        String sales = ask(salesUser, "rag/handbook", "What are the salary bands for E1?", false).then().statusCode(200)
                .extract().asString();
        assertThat(sales).doesNotContain("52,000").doesNotContain("intranet:salaries");

        String stream = ask(hrUser, "rag/handbook", "Which class are trains booked in?", true).then().statusCode(200)
                .extract().asString();
        List<String> events = stream.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonPath first = JsonPath.from(events.get(0));
        assertThat(first.getString("citations[0].document")).isEqualTo("intranet:travel");
        StringBuilder answer = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            String piece = JsonPath.from(e).getString("choices[0].delta.content");
            answer.append(piece == null ? "" : piece);
        }
        assertThat(answer.toString()).contains("second class").contains("[1]");
        assertThat(stream).as("other teams' documents").doesNotContain("intranet:sales-bonus").doesNotContain("intranet:overtime");
    }

    @Test
    void unknownAndForbiddenCollectionsAnswerInTheErrorShapeWithoutRevealingMatches() {
        search(salesUser, "nope", "{\"query\": \"x\"}").then().statusCode(404)
                .body("error.code", equalTo("collection_not_found")).body("error.type", equalTo("invalid_request_error"));
        Response matching = search(salesUser, "hr-files", "{\"query\": \"salary bands\"}");
        Response nonsense = search(salesUser, "hr-files", "{\"query\": \"zzqx unmatched words\"}");
        matching.then().statusCode(403).body("error.code", equalTo("permission_denied"));
        assertThat(matching.asString()).isEqualTo(nonsense.asString());
        ask(salesUser, "rag/hr-files", "salary bands", false).then().statusCode(403).body("error.code", equalTo("permission_denied"));
        ask(salesUser, "rag/nope", "anything", false).then().statusCode(404).body("error.code", equalTo("collection_not_found"));
        search(hrUser, "hr-files", "{\"query\": \"salary bands\"}").then().statusCode(200);
        assertThat(given().header("Authorization", "Bearer " + salesUser).get("/v1/collections").jsonPath()
                .getList("data.id", String.class)).contains("handbook", "manuals").doesNotContain("hr-files");
        assertThat(given().header("Authorization", "Bearer " + salesUser).get("/v1/models").jsonPath()
                .getList("data.id", String.class)).contains("rag/handbook", "rag/manuals", "local/extractive")
                .doesNotContain("rag/hr-files");
        given().header("Authorization", "Bearer " + salesUser).get("/v1/models/rag/hr-files").then().statusCode(404);
    }

    @Test
    void badSearchesAndPushesAreRefusedWithTheOffendingField() {
        search(hrUser, "handbook", "{}").then().statusCode(400).body("error.param", equalTo("query"));
        search(hrUser, "handbook", "{\"query\": \"x\", \"top_k\": 0}").then().statusCode(400).body("error.param", equalTo("top_k"));
        search(hrUser, "handbook", "{\"query\": \"x\", \"filters\": [1]}").then().statusCode(400).body("error.param", equalTo("filters"));
        search(hrUser, "handbook", "{\"query\": ").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        push(hrAdmin, "{\"documents\": [{\"text\": \"no id\"}]}").then().statusCode(400).body("error.param", equalTo("documents[0].id"));
        push(hrAdmin, "{\"documents\": [{\"id\": \"x\", \"text\": \"t\", \"readers\": [\"everyone\"]}]}").then().statusCode(400)
                .body("error.param", equalTo("documents[0].readers"));
        push(salesUser, "{\"documents\": [{\"id\": \"x\", \"text\": \"t\"}]}").then().statusCode(403);
        given().header("Authorization", "Bearer " + hrAdmin).delete("/v1/collections/handbook/documents/nothing-here")
                .then().statusCode(404);
    }

    @Test
    void aPushedDocumentCanBeReplacedAndDeleted() {
        push(hrAdmin, "{\"documents\": [{\"id\": \"canteen\", \"text\": \"The canteen opens at 11:30.\"}]}").then().statusCode(200);
        assertThat(search(hrUser, "handbook", "{\"query\": \"canteen opens\", \"top_k\": 1}").jsonPath().getString("data[0].text"))
                .contains("11:30");
        push(hrAdmin, "{\"documents\": [{\"id\": \"canteen\", \"text\": \"The canteen opens at 12:00.\"}]}").then().statusCode(200);
        String after = search(hrUser, "handbook", "{\"query\": \"canteen opens\", \"top_k\": 50}").asString();
        assertThat(after).contains("12:00").doesNotContain("11:30");
        given().header("Authorization", "Bearer " + hrAdmin).delete("/v1/collections/handbook/documents/intranet:canteen")
                .then().statusCode(200);
        assertThat(documents(search(hrUser, "handbook", "{\"query\": \"canteen opens\", \"top_k\": 50}")))
                .doesNotContain("intranet:canteen");
    }

    @Test
    void aFolderCollectionRecordsItsCorruptFileAndItsUnreachableShareWithoutStoppingTheOthers() {
        await("the share was read", () -> given().get("/admin/v1/collections/manuals").jsonPath()
                .getInt("documents") == 2 && given().get("/admin/v1/collections/manuals").jsonPath().getInt("failed_documents") == 1);
        JsonPath status = given().get("/admin/v1/collections/manuals").jsonPath();
        assertThat(status.getString("sources.find { it.name == 'share' }.state")).isEqualTo("ok");
        assertThat(status.getString("sources.find { it.name == 'nas' }.state")).isEqualTo("failing");
        assertThat(status.getString("sources.find { it.name == 'nas' }.error")).contains("not-mounted").contains("does not exist");
        JsonPath failed = given().get("/admin/v1/collections/manuals/documents?status=failed").jsonPath();
        assertThat(failed.getString("data[0].id")).isEqualTo("share:scan.pdf");
        assertThat(failed.getString("data[0].reason")).contains("scan.pdf");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).as("metrics for alerts")
                .containsPattern("fundament_collection_source_failing\\{collection=\"manuals\",source=\"nas\"[^}]*} 1\\.0")
                .containsPattern("fundament_collection_source_failing\\{collection=\"manuals\",source=\"share\"[^}]*} 0\\.0")
                .containsPattern("fundament_collection_documents\\{collection=\"manuals\",status=\"failed\"[^}]*} 1\\.0")
                .containsPattern("fundament_collection_documents\\{collection=\"manuals\",status=\"indexed\"[^}]*} 2\\.0");
        given().get("/q/health/group/connectors").then().statusCode(503)
                .body("checks[0].data.'manuals/nas'", org.hamcrest.Matchers.containsString("not-mounted"));

        JsonPath found = search(salesUser, "manuals", "{\"query\": \"nitrogen pressure for stainless steel\", \"top_k\": 1}").jsonPath();
        assertThat(found.getString("data[0].document")).isEqualTo("share:laser.md");
        assertThat(found.getString("data[0].heading")).isEqualTo("NW-500 Laser > Gas");
        assertThat(found.getString("data[0].uri")).startsWith("file:").endsWith("laser.md");
        given().header("Authorization", "Bearer " + designAdmin).get("/admin/v1/collections/manuals").then().statusCode(200);
        given().header("Authorization", "Bearer " + hrAdmin).get("/admin/v1/collections/manuals").then().statusCode(403);
    }

    @Test
    void anAdminCreatesACollectionThroughTheApiAndItsSettingsAreCheckedByPath() {
        given().contentType("application/json").body("{\"name\": \"faq\", \"settings\": {\"owner\": \"design\", \"readers\": "
                        + "[\"everyone\"], \"sources\": [{\"name\": \"db\", \"type\": \"jdbc\"}]}}")
                .post("/admin/v1/collections").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("collections.faq.readers[0]"),
                        org.hamcrest.Matchers.containsString("collections.faq.sources[0].url")));
        given().contentType("application/json").body("{\"name\": \"faq\", \"settings\": {\"owner\": \"design\", \"readers\": "
                + "[\"public\"], \"sources\": [{\"name\": \"web\", \"type\": \"push\"}]}}").post("/admin/v1/collections")
                .then().statusCode(201).body("origin", equalTo("api"));
        given().header("Authorization", "Bearer " + designAdmin).contentType("application/json")
                .body("{\"source\": \"web\", \"documents\": [{\"id\": \"q1\", \"text\": \"Returns are accepted within 30 days.\"}]}")
                .post("/v1/collections/faq/documents").then().statusCode(200);
        assertThat(documents(search(salesUser, "faq", "{\"query\": \"returns accepted\"}"))).containsExactly("web:q1");
        given().contentType("application/json").body("{\"name\": \"faq\", \"settings\": {\"owner\": \"design\"}}")
                .post("/admin/v1/collections").then().statusCode(409);
        given().delete("/admin/v1/collections/handbook").then().statusCode(409);
        given().delete("/admin/v1/collections/faq").then().statusCode(200);
        search(salesUser, "faq", "{\"query\": \"returns\"}").then().statusCode(404);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
