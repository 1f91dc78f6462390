package dev.fundament.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.audit.AuditRecord;
import dev.fundament.audit.AuditTrail;
import dev.fundament.storage.InstanceId;
import dev.fundament.testing.Upstreams;
import dev.fundament.usage.Ledger;
import dev.fundament.usage.LedgerEntry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A caller who goes away mid-request. In a kill -9 test, a request whose client had disconnected
 * had an audit record saying 200 and no ledger entry. A disconnect, streamed or not, must leave one
 * ledger entry and one audit record, both with 499 (client closed request), and no request left open.
 */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class ClientDisconnectTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    Ledger ledger;

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "fundament.data-dir")
    String dataDir;

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aDisconnectedRequestHasA499LedgerEntryAndAuditRecord(boolean stream) throws Exception {
        String requestId = "disconnect-" + (stream ? "stream" : "whole") + "-" + System.nanoTime();
        String prompt = "leaving early " + requestId;
        long before = Upstreams.slowStream.requests().stream().filter(r -> r.toString().contains(prompt)).count();
        assertThat(before).isZero();
        HttpClient client = vertx.createHttpClient();
        CompletableFuture<HttpClientRequest> sent = new CompletableFuture<>();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(base.getPort())
                        .setURI("/v1/chat/completions").putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", "Bearer " + Upstreams.ADMIN_KEY).putHeader("x-request-id", requestId))
                .onSuccess(req -> {
                    req.send(Buffer.buffer("{\"model\":\"slow-stream\",\"stream\":" + stream
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}"));
                    sent.complete(req);
                })
                .onFailure(sent::completeExceptionally);
        HttpClientRequest request = sent.get(10, TimeUnit.SECONDS);
        assertThat(within(10_000, () -> Upstreams.slowStream.requests().stream().anyMatch(r -> r.toString().contains(prompt))))
                .as("the upstream is working on it").isTrue();

        request.connection().close();
        client.close();

        assertThat(within(10_000, () -> ledger.store().countByRequestId(requestId) == 1)).as("one ledger entry").isTrue();
        LedgerEntry entry = ledger.store().findByRequestId(requestId).getFirst();
        assertThat(entry.status()).isEqualTo(499);
        assertThat(entry.cancelled()).isTrue();
        assertThat(entry.stream()).isEqualTo(stream);

        List<AuditRecord> records = audit.export(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plusSeconds(5))
                .stream().filter(r -> requestId.equals(r.requestId())).toList();
        assertThat(records).as("one audit record").singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(499));

        assertThat(ledger.store().unsettled(InstanceId.of(Path.of(dataDir)))).extracting(LedgerEntry::id)
                .as("the request opened at admission is settled").doesNotContain(entry.id());
    }

    private static boolean within(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return condition.getAsBoolean();
    }
}
