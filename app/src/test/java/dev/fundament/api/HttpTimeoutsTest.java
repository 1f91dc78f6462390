package dev.fundament.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Half-sent requests held connections for 45 s and more. With short header and body timeouts
 * (two seconds here; 30 s by default), a connection that stops in its headers is closed and one that
 * stops in its body gets a 408 in OpenAI's shape; an answer that takes longer than the header
 * timeout (a model thinking for five seconds) is not cut.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
@TestProfile(HttpTimeoutsTest.ShortTimeouts.class)
class HttpTimeoutsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fundament.http.header-timeout", "2s", "fundament.http.body-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    /** Sends {@code half} and reads until the server closes; fails if it has not within 30 s. */
    private String halfSent(String half) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(half.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was still open after 30 s; received: " + answer, e);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aConnectionThatStopsInItsHeadersIsClosed() throws Exception {
        String answer = halfSent("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Upstreams.ADMIN_KEY + "\r\nContent-Ty");
        assertThat(answer).as("closed without an answer: no request was read").isEmpty();
    }

    @Test
    void aRequestThatStopsInItsBodyGets408() throws Exception {
        String answer = halfSent("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Upstreams.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"model\":\"gpt-sim\",");
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"")
                .contains("\"type\":\"invalid_request_error\"").contains("fundament.http.body-timeout");
    }

    @Test
    void anAnswerMayTakeLongerThanTheHeaderTimeout() {
        given().contentType("application/json")
                .body("{\"model\":\"patient\",\"messages\":[{\"role\":\"user\",\"content\":\"think first\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
    }
}
