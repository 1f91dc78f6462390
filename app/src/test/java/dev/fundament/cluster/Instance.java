package dev.fundament.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One Fundament server process started from the packaged application, as an operator would start it,
 * for tests that need several instances or a real process to kill.
 */
final class Instance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    final Process process;
    final Path log;

    private Instance(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static Instance start(Path config, Path data, int port, Map<String, String> env) throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar + " is missing");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("fundament-instance-" + port, ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-jar",
                jar.toString(), "serve", "--port", String.valueOf(port), "--config", config.toString(), "--data",
                data.toString())).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Instance instance = new Instance(port, pb.start(), log);
        instance.awaitLive();
        return instance;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        return post(path, key, body, "it-" + System.nanoTime());
    }

    HttpResponse<String> post(String path, String key, String body, String requestId)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .header("x-request-id", requestId)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path, String key) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).DELETE()
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitLive() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance on port " + port + " exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri("/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException | InterruptedException e) {
                LockSupport.parkNanos(200_000_000L);
            }
        }
        throw new IllegalStateException("instance on port " + port + " did not start:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** Stops the instances that started and the test's Vert.x, whatever got that far. */
    static void closeAll(io.vertx.core.Vertx vertx, Instance... instances) {
        for (Instance i : instances) {
            if (i != null) {
                i.close();
            }
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
