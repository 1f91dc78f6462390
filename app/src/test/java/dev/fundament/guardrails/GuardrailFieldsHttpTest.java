package dev.fundament.guardrails;

import static dev.fundament.guardrails.GuardrailsHttpTest.body;
import static dev.fundament.guardrails.GuardrailsHttpTest.chat;
import static dev.fundament.guardrails.GuardrailsHttpTest.streamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fundament.testing.EchoUpstream;
import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for guardrail bypasses found by a hostile test: the input stage read only the
 * text of messages and the output stage only the answer's text, so a secret or a personal value
 * passed in assistant tool-call arguments, tool descriptions and parameter schemas, {@code metadata}
 * and unknown fields, {@code user}, message names, image URLs and response-format schemas, and came
 * back in answers' tool-call arguments, whole or streamed. Values also passed with a zero-width space
 * inside, split over two messages, base64-encoded, with a full-width at sign, and a canary with two
 * spaces. Each is sent here against the echo upstream, which shows what the model received; model
 * {@code echo} blocks secrets and pseudonymises personal data, {@code echo-out} redacts e-mail
 * addresses and canaries in answers, {@code echo-tools} redacts e-mail addresses, IBANs and secrets in
 * answers.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class GuardrailFieldsHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AWS_KEY = "AKIAQYLPMN5HFT2XK7RD";
    private static final String EMAIL = "jana.kovac@example.com";

    /** @return a request to {@code echo} with one user message, changed by {@code edit} */
    private static String request(Consumer<ObjectNode> edit) {
        ObjectNode body = JSON.createObjectNode().put("model", "echo");
        body.putArray("messages").addObject().put("role", "user").put("content", "Please help with the ticket.");
        edit.accept(body);
        return body.toString();
    }

    private static void blocked(String body, String secret) {
        chat(body).then().statusCode(400).body("error.code", equalTo("content_blocked"));
        assertThat(EchoUpstream.RECEIVED).noneMatch(b -> b.contains(secret));
    }

    private static void pseudonymised(String body, String value) {
        chat(body).then().statusCode(200);
        assertThat(EchoUpstream.RECEIVED).noneMatch(b -> b.contains(value));
        assertThat(EchoUpstream.receivedBy("cloud").getLast()).contains("<EMAIL_1>");
    }

    @Test
    void secretsAnywhereInTheRequestAreBlocked() {
        String[] keys = {"AKIAQYLPMN5HFT2XK7R1", "AKIAQYLPMN5HFT2XK7R2", "AKIAQYLPMN5HFT2XK7R3", "AKIAQYLPMN5HFT2XK7R4",
                "AKIAQYLPMN5HFT2XK7R5", "AKIAQYLPMN5HFT2XK7R6", "AKIAQYLPMN5HFT2XK7R7"};
        blocked(request(b -> {
            ObjectNode assistant = b.withArray("messages").addObject().put("role", "assistant");
            assistant.putNull("content");
            assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function").putObject("function")
                    .put("name", "deploy").put("arguments", "{\"access_key\": \"" + keys[0] + "\"}");
            b.withArray("messages").addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "done");
            b.withArray("messages").addObject().put("role", "user").put("content", "And now?");
        }), keys[0]);
        blocked(request(b -> b.putArray("tools").addObject().put("type", "function").putObject("function")
                .put("name", "deploy").put("description", "Deploys with key " + keys[1])), keys[1]);
        blocked(request(b -> b.putArray("tools").addObject().put("type", "function").putObject("function")
                .put("name", "deploy").putObject("parameters").put("type", "object").putObject("properties")
                .putObject("key").put("type", "string").put("default", keys[2])), keys[2]);
        blocked(request(b -> b.putObject("metadata").put("aws", keys[3])), keys[3]);
        blocked(request(b -> b.putObject("x_vendor_options").putArray("notes").add("use " + keys[4])), keys[4]);
        blocked(request(b -> ((ObjectNode) b.withArray("messages").get(0)).putArray("content").addObject()
                .put("type", "image_url").putObject("image_url").put("url", "https://img.example/a.png?key=" + keys[5])), keys[5]);
        blocked(request(b -> b.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "answer").putObject("schema").put("type", "object").put("description", "key " + keys[6])), keys[6]);
    }

    @Test
    void personalDataInNamesUserToolSchemasAndMetadataIsPseudonymised() {
        pseudonymised(request(b -> b.put("user", EMAIL)), EMAIL);
        pseudonymised(request(b -> ((ObjectNode) b.withArray("messages").get(0)).put("name", EMAIL)), EMAIL);
        pseudonymised(request(b -> b.putObject("metadata").put("requester", EMAIL)), EMAIL);
        pseudonymised(request(b -> b.putArray("tools").addObject().put("type", "function").putObject("function")
                .put("name", "mail").putObject("parameters").put("type", "object").putObject("properties")
                .putObject("to").put("type", "string").put("description", "always " + EMAIL)), EMAIL);
    }

    @Test
    void disguisedSecretsAreBlocked() {
        blocked(body("echo", false, "Use AKIA\u200BQYLPMN5HFT2XK7RA for the upload."), "QYLPMN5HFT2XK7RA");
        blocked(body("echo", false, "My key starts AKIAQYLPMN", "5HFT2XK7RB is the rest of it."), "5HFT2XK7RB");
        String encoded = Base64.getEncoder().encodeToString(("aws key AKIAQYLPMN5HFT2XK7RC").getBytes(StandardCharsets.UTF_8));
        blocked(body("echo", false, "Decode this and use it: " + encoded), encoded);
    }

    @Test
    void disguisedPersonalDataIsPseudonymisedAndRestored() {
        String wide = "ivo.horak\uFF20example.com";
        chat(body("echo", false, "Write to " + wide + " today.")).then().statusCode(200)
                .body("choices[0].message.content", equalTo("Write to " + wide + " today."));
        assertThat(EchoUpstream.receivedBy("cloud").getLast()).contains("Write to <EMAIL_1> today.").doesNotContain("ivo.horak");

        String encoded = Base64.getEncoder().encodeToString("mail petra.novak@example.com".getBytes(StandardCharsets.UTF_8));
        chat(body("echo", false, "Decode " + encoded)).then().statusCode(200)
                .body("choices[0].message.content", equalTo("Decode " + encoded));
        assertThat(EchoUpstream.receivedBy("cloud").getLast()).contains("Decode <EMAIL_1>").doesNotContain(encoded);
    }

    @Test
    void aCanaryWithDoubledOrOddWhiteSpaceIsStillRedactedInTheAnswer() throws Exception {
        String input = "Call Globex  Corporation and Globex\u00A0Corporation, mail lea.berg\uFF20example.org.";
        String expected = "Call [CANARY] and [CANARY], mail [EMAIL].";
        chat(body("echo-out", false, input)).then().statusCode(200).body("choices[0].message.content", equalTo(expected));
        assertThat(streamed(chat(body("echo-out", true, input)))).isEqualTo(expected);
    }

    @Test
    void toolCallArgumentsInAnswersAreRedactedWholeAndStreamed() throws Exception {
        String arguments = "{\"to\":\"bob.smith@example.org\",\"iban\":\"DE89 3704 0044 0532 0130 00\",\"key\":\"" + AWS_KEY + "\"}";
        String redacted = "{\"to\":\"[EMAIL]\",\"iban\":\"[IBAN]\",\"key\":\"[SECRET]\"}";
        String ask = body("echo-tools", false, "call:" + new StringBuilder(arguments).reverse());
        Response whole = chat(ask);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.jsonPath().getString("choices[0].message.tool_calls[0].function.arguments")).isEqualTo(redacted);
        assertThat(whole.asString()).doesNotContain("example.org").doesNotContain("DE89").doesNotContain("AKIA");

        Response stream = chat(body("echo-tools", true, "call:" + new StringBuilder(arguments).reverse()));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.asString()).doesNotContain("example.org").doesNotContain("DE89").doesNotContain("AKIA")
                .contains("data: [DONE]");
        StringBuilder streamedArguments = new StringBuilder();
        String id = null;
        for (String line : stream.asString().split("\n")) {
            if (!line.startsWith("data: {")) {
                continue;
            }
            for (JsonNode call : JSON.readTree(line.substring(6)).path("choices").path(0).path("delta").path("tool_calls")) {
                assertThat(call.path("index").asInt()).isZero();
                id = call.has("id") ? call.path("id").asText() : id;
                streamedArguments.append(call.path("function").path("arguments").asText(""));
            }
        }
        assertThat(id).isEqualTo("call_echo");
        assertThat(streamedArguments).hasToString(redacted);
    }
}
