package dev.fundament.testing;

import dev.fundament.simulator.Simulator;
import dev.fundament.simulator.SimulatorOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstreams every {@code @QuarkusTest} runs against, started once before Fundament: simulators
 * in several behaviours, a server that rejects every credential, and a fundament.yaml naming them.
 * All on 127.0.0.1, on ports the OS picks.
 */
public class Upstreams implements QuarkusTestResourceLifecycleManager {

    /** The admin key every test starts with (given as FUNDAMENT_BOOTSTRAP_KEY would be). */
    public static final String ADMIN_KEY = "fk-test-admin-0123456789abcdefghijklmnopqrstu";

    private static Vertx vertx;
    public static Simulator healthy;
    public static Simulator slowStream;
    public static Simulator breaksMidStream;
    public static Simulator failing;
    public static Simulator rateLimited;
    public static Simulator slowFirstToken;
    public static Simulator bulkStream;
    /** Fault-injection upstreams: 30 % errors, and one that tests stop mid-run. */
    public static Simulator flaky;
    public static Simulator killable;
    /** Stream faults: one that sends two chunks and then hangs. */
    public static Simulator stalling;
    /**
     * A scripted upstream for cases that must not depend on chance or on the tests before them. Under
     * {@code /alternate/v1} every other call is a 429 (the first, third, ...; {@code Retry-After: 0.05}),
     * the rest a short streamed answer. Under {@code /probe/v1} it does what {@link #PROBE} says:
     * {@code busy} (429, {@code Retry-After: 0}), {@code hang} (takes the request and never answers) or
     * {@code answer}.
     */
    private static HttpServer scripted;
    public static final java.util.concurrent.atomic.AtomicLong alternateCalls = new java.util.concurrent.atomic.AtomicLong();
    public static final java.util.concurrent.atomic.AtomicReference<String> PROBE = new java.util.concurrent.atomic.AtomicReference<>("answer");
    public static final java.util.concurrent.atomic.AtomicLong probeCalls = new java.util.concurrent.atomic.AtomicLong();
    /** Hung {@code /probe} requests whose connection Fundament closed. */
    public static final java.util.concurrent.atomic.AtomicLong probeResets = new java.util.concurrent.atomic.AtomicLong();
    private static HttpServer rejectsCredentials;
    private static HttpServer anthropic;
    private static HttpServer recorder;
    private static HttpServer jwksServer;
    private static HttpServer echo;
    /** The key set the test identity provider publishes; tests swap it to rotate keys. */
    public static final java.util.concurrent.atomic.AtomicReference<String> JWKS = new java.util.concurrent.atomic.AtomicReference<>();
    /** The folder the {@code manuals} collection reads: two manuals and a corrupt PDF. */
    public static final Path MANUALS = manuals();

    private static Path manuals() {
        try {
            Path dir = Files.createTempDirectory("fundament-manuals");
            Files.writeString(dir.resolve("press-brake.md"), "# NW-720 Press Brake\n\n## Crowning\n\nAutomatic crowning keeps"
                    + " bending angles within 0.3 degrees over the full length.\n");
            Files.writeString(dir.resolve("laser.md"), "# NW-500 Laser\n\n## Gas\n\nStainless steel is cut with nitrogen at"
                    + " 18 bar.\n");
            Files.writeString(dir.resolve("scan.pdf"), "%PDF-1.7 damaged in transfer");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final String ISSUER = "https://login.fundament.test/realms/company";
    /** What the recording upstream last received: method, URI and headers. */
    public static volatile io.vertx.core.MultiMap recordedHeaders;
    public static volatile String recordedUri;
    public static volatile io.vertx.core.http.HttpVersion recordedVersion;
    /** The last request body the recorded Anthropic server received, with its headers' API key. */
    public static volatile String anthropicLastBody;
    public static volatile String anthropicLastKey;

    @Override
    public Map<String, String> start() {
        // as FundamentMain does before Quarkus starts: unparsable paths reach the router (an OpenAI-shaped 400)
        System.setProperty(dev.fundament.api.UnroutableRequests.ROUTER_DECIDES, "true");
        vertx = Vertx.vertx();
        healthy = sim("--ttft 0ms --tokens-per-second 0 --output-tokens uniform:5-20 --seed 7");
        slowStream = sim("--ttft 0ms --tokens-per-second 20 --output-tokens fixed:2000 --seed 7");
        breaksMidStream = sim("--ttft 0ms --tokens-per-second 0 --output-tokens fixed:50 --fail-after-chunks 3");
        failing = sim("--error-rate 1.0");
        rateLimited = sim("--rate-limit-rate 1.0");
        slowFirstToken = sim("--ttft 5s");
        bulkStream = sim("--ttft 0ms --tokens-per-second 0 --output-tokens fixed:300000");
        flaky = sim("--ttft 0ms --tokens-per-second 0 --output-tokens fixed:8 --error-rate 0.3");
        killable = sim("--ttft 20ms --tokens-per-second 0 --output-tokens fixed:8");
        stalling = sim("--ttft 0ms --tokens-per-second 0 --output-tokens fixed:20 --stall-after-chunks 2");
        scripted = await(vertx.createHttpServer().requestHandler(Upstreams::scripted).listen(0, "127.0.0.1"));
        rejectsCredentials = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            boolean badRequest = body.toString().contains("\"reject-400\"");
            req.response().setStatusCode(badRequest ? 400 : 401).putHeader("Content-Type", "application/json")
                    .end(badRequest
                            ? "{\"error\":{\"message\":\"Invalid 'temperature': decimal above maximum value.\","
                            + "\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"decimal_above_max_value\"}}"
                            : "{\"error\":{\"message\":\"Incorrect API key provided: sk-wro***\",\"type\":\"invalid_request_error\","
                            + "\"param\":null,\"code\":\"invalid_api_key\"}}");
        })).listen(0, "127.0.0.1"));
        anthropic = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String text = body.toString();
            anthropicLastBody = text;
            anthropicLastKey = req.getHeader("x-api-key");
            boolean stream = text.contains("\"stream\":true");
            boolean tools = text.contains("\"tools\"");
            String fixture = (stream ? "stream-" : "message-") + (tools ? "tool-use" : "text") + (stream ? ".sse" : ".json");
            req.response().putHeader("Content-Type", stream ? "text/event-stream" : "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(fixture(fixture)));
        })).listen(0, "127.0.0.1"));
        recorder = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            recordedUri = req.uri();
            recordedVersion = req.version();
            recordedHeaders = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
            req.response().putHeader("Content-Type", "application/json").end("{\"id\":\"chatcmpl-az\",\"object\":"
                    + "\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"Hallo aus Azure\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}");
        })).listen(0, "127.0.0.1"));
        echo = await(EchoUpstream.start(vertx));
        jwksServer = await(vertx.createHttpServer().requestHandler(req -> req.response()
                .putHeader("Content-Type", "application/json").end(JWKS.get() == null ? "{\"keys\":[]}" : JWKS.get()))
                .listen(0, "127.0.0.1"));
        String yaml = """
                server:
                  max_body_size: 64KiB
                identity:
                  sso:
                    issuer: https://login.fundament.test/realms/company
                    jwks_url: http://127.0.0.1:%d/certs
                    audience: fundament
                    user_claim: preferred_username
                    team_claim: groups
                    roles_claim: realm_access.roles
                    role_mapping:
                      fundament-admins: admin
                      sales-leads: team-admin
                  teams:
                    sales: {}
                    hr:
                      allowed_models: [gpt-sim, embed-sim, rag/handbook]
                    limited: {}
                    frugal: {}
                    marketing: {}
                    fuzzers: {}
                    finance: {}
                    budgeted: {}
                    works-council: {}
                    design: {}
                    multiplied: {}
                    capped: {}
                budgets:
                  teams:
                    budgeted: {daily: 10}
                    capped: {daily: 0.01}
                    finance: {monthly: 500}
                  users:
                    someone.else: {daily: 1}
                pricing:
                  currency: EUR
                  models:
                    sim/sim-model: {input_per_million: 0.15, output_per_million: 0.60}
                    sim/reporting-model: {input_per_million: 1000, output_per_million: 2000}
                    sim-slow/slow-stream: {input_per_million: 1000, output_per_million: 1000}
                guardrails:
                  canaries:
                    customers: {terms: [Globex Corporation, Initech]}
                  policies:
                    - name: pii-to-cloud
                      detect: [personal_data]
                      action: pseudonymize
                      models: [echo]
                    - name: no-secrets
                      detect: [secret]
                      action: block
                      models: [echo, echo-out]
                    - name: no-injection
                      on: input
                      detect: [prompt_injection]
                      action: block
                      models: [echo]
                    - name: customer-names
                      on: output
                      detect: [canary:customers]
                      action: redact
                      models: [echo-out]
                    - name: mail-out
                      on: output
                      detect: [email]
                      action: redact
                      models: [echo-out]
                    - name: audit-phones
                      on: input
                      detect: [phone]
                      action: flag
                      models: [echo-out]
                    - name: mask-ibans
                      on: input
                      detect: [iban]
                      action: redact
                      models: [echo-out]
                    - name: tool-answers
                      on: output
                      detect: [email, iban, secret]
                      action: redact
                      models: [echo-tools]
                    - name: classify-for-routing
                      on: input
                      detect: [personal_data]
                      action: flag
                      models: [conditional]
                  residency:
                    - name: personal-data-on-prem
                      detect: [personal_data]
                      teams: [works-council]
                      require_labels: [on-prem]
                      models: [mixed, cloud-only, shadowed-residency]
                roi:
                  hourly_rate: 40
                  use_cases:
                    email-drafts: {minutes_saved_per_request: 6}
                limits:
                  teams:
                    limited:
                      requests_per_minute: 3
                    frugal:
                      tokens_per_minute: 2000
                    multiplied:
                      tokens_per_minute: 1000
                providers:
                  sim:
                    type: openai
                    base_url: %s
                  sim-slow:
                    type: vllm
                    base_url: %s
                  sim-broken:
                    circuit_breaker: false
                    type: openai
                    base_url: %s
                  sim-500:
                    circuit_breaker: false
                    type: openai
                    base_url: %s
                  sim-429:
                    circuit_breaker: false
                    type: openai
                    base_url: %s
                  sim-late:
                    circuit_breaker: false
                    type: openai
                    base_url: %s
                    timeouts:
                      first_token: 300ms
                  sim-long:
                    circuit_breaker: false
                    type: openai
                    base_url: %s
                    timeouts:
                      total: 500ms
                  sim-tiny:
                    type: openai
                    base_url: %3$s
                    max_concurrency: 1
                    max_queue: 1
                    queue_timeout: 3s
                  sim-bulk:
                    type: openai
                    base_url: %s
                  sim-patient:
                    type: openai
                    base_url: %7$s
                  wrong-key:
                    circuit_breaker: false
                    type: openai
                    base_url: http://127.0.0.1:%d/v1
                    api_key: sk-wrong
                  anthropic-recorded:
                    type: anthropic
                    base_url: http://127.0.0.1:%d
                    api_key: test-anthropic-key
                  azure-eu:
                    type: azure-openai
                    base_url: http://127.0.0.1:%d
                    api_key: azure-test-key
                    headers:
                      x-cost-centre: it-42
                  echo-cloud:
                    type: openai
                    base_url: http://127.0.0.1:%13$d/cloud/v1
                  echo-onprem:
                    type: openai
                    base_url: http://127.0.0.1:%13$d/onprem/v1
                    labels: [on-prem]
                  echo-checked:
                    type: openai
                    base_url: http://127.0.0.1:%13$d/checked/v1
                    health_check: {path: /models, interval: 100ms, timeout: 1s}
                  fault-flaky:
                    type: openai
                    base_url: %14$s
                  fault-429:
                    type: openai
                    base_url: %6$s
                  fault-slow:
                    type: openai
                    base_url: %7$s
                    timeouts:
                      first_token: 200ms
                  fault-killable:
                    type: openai
                    base_url: %15$s
                  fault-backup:
                    type: openai
                    base_url: %2$s
                  recorded-h2:
                    type: openai
                    base_url: http://127.0.0.1:%12$d/v1
                    http2: true
                  sim-h2:
                    type: openai
                    base_url: %2$s
                    http2: true
                  sim-stall:
                    circuit_breaker: false
                    type: openai
                    base_url: %16$s
                    timeouts: {first_token: 5s, idle: 500ms, total: 30s}
                  sim-slow-total:
                    circuit_breaker: false
                    type: openai
                    base_url: %3$s
                    timeouts: {total: 1s}
                  sim-sometimes-429:
                    type: openai
                    base_url: %17$s
                  scripted-probe:
                    type: openai
                    base_url: http://127.0.0.1:%18$d/probe/v1
                    timeouts: {first_token: 10s}
                  nowhere:
                    circuit_breaker: false
                    type: openai
                    base_url: http://127.0.0.1:9/v1
                    timeouts:
                      connect: 2s
                models:
                  gpt-sim:
                    provider: sim
                    model: sim-model
                  reporting:
                    provider: sim
                    model: reporting-model
                  embed-sim:
                    provider: sim
                    model: text-embedding-sim
                    kind: embedding
                  slow-stream:
                    provider: sim-slow
                  broken-stream:
                    provider: sim-broken
                  bulk-stream:
                    provider: sim-bulk
                  patient:
                    provider: sim-patient
                    model: thinks-long
                  tiny:
                    provider: sim-tiny
                    model: tiny-model
                  canary:
                    targets:
                      - {provider: sim, model: stable-model, weight: 90, version: v1}
                      - {provider: sim, model: candidate-model, weight: 10, version: v2}
                  too-long:
                    provider: sim-long
                  always-500:
                    provider: sim-500
                  rate-limited:
                    provider: sim-429
                  too-slow:
                    provider: sim-late
                  bad-credentials:
                    provider: wrong-key
                  unreachable:
                    provider: nowhere
                  stalls:
                    provider: sim-stall
                  streams-too-long:
                    provider: sim-slow-total
                  sometimes-429:
                    provider: sim-sometimes-429
                  probed:
                    provider: scripted-probe
                  upstream-400:
                    provider: wrong-key
                    model: reject-400
                  claude:
                    provider: anthropic-recorded
                    model: claude-sonnet-4-5
                  azure-chat:
                    provider: azure-eu
                    model: my-gpt4o-deployment
                  echo:
                    provider: echo-cloud
                    model: echo
                  echo-out:
                    provider: echo-cloud
                    model: echo
                  echo-tools:
                    provider: echo-cloud
                    model: echo
                  cloud-only:
                    provider: echo-cloud
                    model: echo
                  mixed:
                    targets:
                      - provider: echo-cloud
                        model: echo
                      - provider: echo-onprem
                        model: echo
                  conditional:
                    targets:
                      - {provider: sim, model: for-sales, when: {teams: [sales]}}
                      - {provider: sim, model: for-fast-lane, when: {headers: {x-lane: fast}}}
                      - {provider: sim, model: for-crm, when: {metadata: {app: crm}}}
                      - {provider: sim, model: for-sensitive, when: {classification: [confidential, personal_data]}}
                      - {provider: sim, model: for-everyone}
                  sales-only:
                    targets:
                      - {provider: sim, model: for-sales, when: {teams: [sales]}}
                  rolled-out:
                    provider: sim
                    model: new-model
                    rollout: {teams: [design]}
                  half-rolled-out:
                    provider: sim
                    model: new-model
                    rollout: {percent: 50}
                  shadowed:
                    provider: echo-cloud
                    model: echo
                    shadow: {provider: echo-onprem, model: echo-candidate, version: v2, percent: 100}
                  shadowed-residency:
                    provider: echo-onprem
                    model: echo
                    shadow: {provider: echo-cloud, model: echo-candidate, percent: 100}
                  checked:
                    targets:
                      - {provider: echo-checked, model: echo}
                      - {provider: echo-cloud, model: echo}
                  faults-5xx:
                    targets: [{provider: fault-flaky, model: primary}, {provider: fault-backup, model: backup}]
                  faults-429:
                    targets: [{provider: fault-429, model: primary}, {provider: fault-backup, model: backup}]
                  faults-slow:
                    targets: [{provider: fault-slow, model: primary}, {provider: fault-backup, model: backup}]
                  faults-killed:
                    targets: [{provider: fault-killable, model: primary}, {provider: fault-backup, model: backup}]
                  h2-recorded:
                    provider: recorded-h2
                  h2-sim:
                    provider: sim-h2
                  with-fallback:
                    targets:
                      - provider: sim-500
                        model: first-choice
                      - provider: sim
                        model: second-choice
                collections:
                  handbook:
                    description: The company handbook, pushed by the intranet
                    owner: hr
                    readers: [public]
                    sources:
                      - {name: intranet, type: push}
                  hr-files:
                    owner: hr
                    readers: [team:hr]
                    pii: {action: redact}
                  manuals:
                    owner: design
                    readers: [public]
                    passages: 3
                    sources:
                      - {name: share, type: folder, path: "@MANUALS@", interval: 1h}
                      - {name: nas, type: folder, path: "@MANUALS@/not-mounted", interval: 1h}
                """.formatted(jwksServer.actualPort(), url(healthy), url(slowStream), url(breaksMidStream), url(failing), url(rateLimited),
                url(slowFirstToken), url(slowStream), url(bulkStream), rejectsCredentials.actualPort(), anthropic.actualPort(), recorder.actualPort(), echo.actualPort(), url(flaky), url(killable),
                url(stalling), "http://127.0.0.1:" + scripted.actualPort() + "/alternate/v1", scripted.actualPort())
                .replace("@MANUALS@", MANUALS.toString());
        try {
            Path file = Files.createTempFile("fundament-test", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            Path data = Files.createTempDirectory("fundament-test-data");
            io.restassured.RestAssured.filters((request, response, context) -> {
                if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                    request.header("Authorization", "Bearer " + ADMIN_KEY);
                }
                return context.next(request, response);
            });
            return Map.of("fundament.config", file.toString(), "fundament.bootstrap-key", ADMIN_KEY,
                    "fundament.data-dir", data.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        await(vertx.close());
    }

    private static final String ANSWER = chunk("{\"role\":\"assistant\",\"content\":\"Hello\"}", "null")
            + chunk("{\"content\":\" there\"}", "null") + chunk("{}", "\"stop\"")
            + "data: {\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\ndata: [DONE]\n\n";

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"scripted\",\"choices\":"
                + "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static void scripted(io.vertx.core.http.HttpServerRequest req) {
        req.body().onSuccess(body -> {
            io.vertx.core.http.HttpServerResponse response = req.response();
            String does;
            if (req.path().startsWith("/alternate/")) {
                does = alternateCalls.incrementAndGet() % 2 == 1 ? "busy:0.05" : "answer";
            } else {
                probeCalls.incrementAndGet();
                does = PROBE.get().equals("busy") ? "busy:0" : PROBE.get();
            }
            if (does.startsWith("busy:")) {
                response.setStatusCode(429).putHeader("Retry-After", does.substring(5)).putHeader("Content-Type", "application/json")
                        .end("{\"error\":{\"message\":\"Rate limit reached (scripted).\",\"type\":\"rate_limit_error\","
                                + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
            } else if (does.equals("hang")) {
                response.closeHandler(v -> probeResets.incrementAndGet());
            } else {
                response.putHeader("Content-Type", "text/event-stream").end(ANSWER);
            }
        });
    }

    private static byte[] fixture(String name) {
        try (var in = Upstreams.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Simulator sim(String flags) {
        String[] args = ("--port 0 " + flags).split(" ");
        return await(Simulator.start(vertx, SimulatorOptions.parse(args)));
    }

    private static String url(Simulator s) {
        return "http://127.0.0.1:" + s.port() + "/v1";
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test upstream did not start", e);
        }
    }
}
