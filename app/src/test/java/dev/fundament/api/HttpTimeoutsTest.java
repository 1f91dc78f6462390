package dev.fundament.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.testing.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Half-sent requests held connections for 45 s and more; then a client trickling one header byte
 * at a time held one forever, as the header timeout was only an idle timeout. With short header
 * and body timeouts (two seconds here; 30 s by default):
 * <ul>
 *   <li>a connection that stops, or trickles, in its headers is closed within the deadline;</li>
 *   <li>one that stops in its body gets a 408 in OpenAI's shape;</li>
 *   <li>an answer that takes longer than the header timeout (a model thinking for five seconds) is
 *       not cut, and once it is answered the deadline applies again to the next request.</li>
 * </ul>
 * Closing is asserted to happen within 8 s: more than the two seconds configured here, and far less
 * than the 30 s default, so the test fails if the override were ignored. HTTP/2: {@link Http2LimitsTest}.
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

    /** Well above the 2 s configured, well below the 30 s default. */
    static final long CLOSED_WITHIN_MS = 8_000;
    private static final String AUTH = "Authorization: Bearer " + Upstreams.ADMIN_KEY + "\r\n";

    @TestHTTPResource("/")
    URL base;

    private Socket connect() throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Reads until the server closes; fails if it has not within 30 s. */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after 30 s; received: " + answer, e);
        } catch (IOException reset) {
            // closed with a reset: as closed
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Reads one HTTP/1.1 response (status line, headers, a Content-Length or chunked body). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before a whole response; received: " + head);
            }
            head.append((char) b);
        }
        String headers = head.toString().toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.contains("transfer-encoding: chunked")) {
            for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else {
            int at = headers.indexOf("content-length:");
            int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf("\r\n", at)).trim());
            body.write(in.readNBytes(length));
        }
        return head + body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString();
    }

    @Test
    void aConnectionThatStopsInItsHeadersIsClosed() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "Content-Ty")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).as("closed without an answer: no request was read").isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(CLOSED_WITHIN_MS);
        }
    }

    /**
     * Slowloris: one header byte every half second never leaves the connection idle for two seconds,
     * which kept it open forever; the deadline counts from the connection's opening.
     */
    @Test
    void aConnectionTricklingItsHeadersIsClosedByTheDeadline() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/models HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "X-Slow: ").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(500); // the pace of the trickle: one byte per read that times out
            InputStream in = socket.getInputStream();
            boolean closed = false;
            int sent = 0;
            while (!closed && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 30_000) {
                try {
                    out.write('a');
                    out.flush();
                    sent++;
                    closed = in.read() < 0;
                    assertThat(closed).as("no answer is expected, only a close").isTrue();
                } catch (SocketTimeoutException stillOpen) {
                    // the server is still waiting for the rest of the header
                } catch (IOException reset) {
                    closed = true;
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(closed).as("closed while still trickling (%d bytes sent)", sent).isTrue();
            assertThat(elapsed).isLessThan(CLOSED_WITHIN_MS);
            assertThat(sent).as("bytes kept arriving up to the close").isGreaterThan(1);
        }
    }

    @Test
    void aRequestThatStopsInItsBodyGets408() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n" + AUTH
                    + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"model\":\"gpt-sim\",")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"")
                    .contains("\"type\":\"invalid_request_error\"").contains("fundament.http.body-timeout");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(CLOSED_WITHIN_MS);
        }
    }

    /**
     * A whole answer that takes five seconds (the {@code patient} model) is not cut by the two-second
     * header deadline; the connection then serves its next request, and once that is answered and
     * nothing follows, the deadline closes it.
     */
    @Test
    void aSlowAnswerIsNotCutAndTheDeadlineAppliesAgainAfterIt() throws Exception {
        String chat = "{\"model\":\"patient\",\"messages\":[{\"role\":\"user\",\"content\":\"think first\"}]}";
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n" + AUTH
                    + "Content-Type: application/json\r\nContent-Length: " + chat.length() + "\r\n\r\n" + chat)
                    .getBytes(StandardCharsets.US_ASCII));
            String slow = readResponse(in);
            assertThat(slow).startsWith("HTTP/1.1 200").contains("\"object\":\"chat.completion\"");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("the answer took longer than the header timeout").isGreaterThan(2_000);

            out.write(("GET /v1/models HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).as("the same connection serves the next request").startsWith("HTTP/1.1 200");

            long answered = System.nanoTime();
            assertThat(readUntilClosed(in)).as("closed with nothing more sent").isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered)).isLessThan(CLOSED_WITHIN_MS);
        }
    }
}
