package dev.fundament.providers.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** A provider with {@code http2: true} speaks HTTP/2 (cleartext, prior knowledge), whole answers and streams alike. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class Http2UpstreamTest {

    private static final String CHAT = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void theUpstreamIsCalledOverHttp2() {
        Upstreams.recordedVersion = null;
        given().contentType("application/json").body(CHAT.formatted("h2-recorded", false)).post("/v1/chat/completions")
                .then().statusCode(200);
        assertThat(Upstreams.recordedVersion).isEqualTo(HttpVersion.HTTP_2);
        Upstreams.recordedVersion = null;
        given().contentType("application/json").body(CHAT.formatted("azure-chat", false)).post("/v1/chat/completions")
                .then().statusCode(200);
        assertThat(Upstreams.recordedVersion).as("other providers stay on HTTP/1.1").isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void streamsAndWholeAnswersWorkOverHttp2() {
        given().contentType("application/json").body(CHAT.formatted("h2-sim", false)).post("/v1/chat/completions")
                .then().statusCode(200);
        String stream = given().contentType("application/json").body(CHAT.formatted("h2-sim", true)).post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();
        assertThat(stream.stripTrailing()).endsWith("data: [DONE]");
        assertThat(stream).contains("chat.completion.chunk").doesNotContain("\"error\"");
    }
}
