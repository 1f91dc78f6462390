package dev.fundament.gateway;

import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import java.util.Map;
import dev.fundament.inference.Usage;
import dev.fundament.routing.Target;

/**
 * What is known about one request as it moves through the pipeline: identity of the request, the
 * route and target chosen, timings, usage and outcome. Listeners read it.
 *
 * <p>Confined to the request's event loop (Vert.x delivers a request's callbacks on one thread), so
 * it needs no synchronisation. Holds no prompt or answer text.
 */
public final class RequestContext {

    /** What the caller asked for. */
    public enum Operation {
        CHAT("chat"), EMBEDDINGS("embeddings");

        private final String semconv;

        Operation(String semconv) {
            this.semconv = semconv;
        }

        /** @return the OpenTelemetry GenAI {@code gen_ai.operation.name} */
        public String semconv() {
            return semconv;
        }
    }

    private final String requestId;
    private final Operation operation;
    private final long startNanos;
    private final Principal principal;
    private String model;
    private String collection;
    private java.util.List<String> retrieved = java.util.List.of();
    private boolean stream;
    private Target target;
    private int attempts;
    private long firstTokenNanos;
    private Usage usage = Usage.NONE;
    private GatewayException failure;
    private boolean cancelled;
    private String entryId;
    private boolean settled;
    private Map<String, String> responseHeaders = Map.of();
    private java.util.List<dev.fundament.guardrails.Decision> decisions;
    private String requestSha256;
    private dev.fundament.inference.ChatRequest request;
    private StringBuilder answer;
    private java.util.function.Function<String, String> headers = name -> null;
    private Shadowing.Call shadow;

    public RequestContext(String requestId, Operation operation, long startNanos, Principal principal) {
        this.requestId = requestId;
        this.operation = operation;
        this.startNanos = startNanos;
        this.principal = principal;
    }

    /** @return who is calling */
    public Principal principal() {
        return principal;
    }

    public String requestId() {
        return requestId;
    }

    public Operation operation() {
        return operation;
    }

    public long startNanos() {
        return startNanos;
    }

    /** @return the public model name asked for, or {@code null} before the body was read */
    /** @return the collection a {@code rag/} request answers from, or null */
    public String collection() {
        return collection;
    }

    void collection(String name) {
        this.collection = name;
    }

    /** @return the chunks a {@code rag/} request's answer was given, for the audit record */
    public java.util.List<String> retrieved() {
        return retrieved;
    }

    void retrieved(java.util.List<String> chunkIds) {
        this.retrieved = java.util.List.copyOf(chunkIds);
    }

    public String model() {
        return model;
    }

    void model(String name, boolean streamed) {
        this.model = name;
        this.stream = streamed;
    }

    public boolean stream() {
        return stream;
    }

    /** @return the target of the latest attempt, or {@code null} before routing */
    public Target target() {
        return target;
    }

    void attempt(Target next) {
        this.target = next;
        this.attempts++;
    }

    public int attempts() {
        return attempts;
    }

    /** @return when the first chunk went out, or 0 */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    void firstToken(long nanos) {
        this.firstTokenNanos = nanos;
    }

    public Usage usage() {
        return usage;
    }

    void usage(Usage value) {
        this.usage = value;
    }

    /** @return the failure the caller received, or {@code null} */
    public GatewayException failure() {
        return failure;
    }

    void failure(GatewayException value) {
        this.failure = value;
    }

    /** @return headers the answer carries, such as the rate-limit state */
    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    void responseHeaders(Map<String, String> headers) {
        this.responseHeaders = headers;
    }

    /** @return whether the caller went away before the answer was complete */
    public boolean cancelled() {
        return cancelled;
    }

    void cancelled(boolean value) {
        this.cancelled = value;
    }

    /** @return the id of the request's ledger entry: the entry opened at its start and its settlement share it */
    public String entryId() {
        if (entryId == null) {
            entryId = dev.fundament.storage.TimeOrderedIds.next();
        }
        return entryId;
    }

    /** @return {@code true} the first time only: a request settles once, whatever else ends it later */
    boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /** @return what the guardrails decided, in order; positions only, never values */
    public java.util.List<dev.fundament.guardrails.Decision> decisions() {
        return decisions == null ? java.util.List.of() : java.util.List.copyOf(decisions);
    }

    void decision(dev.fundament.guardrails.Decision d) {
        if (decisions == null) {
            decisions = new java.util.ArrayList<>(4);
        }
        decisions.add(d);
    }

    /** @return the SHA-256 of the request body as received, or {@code null} */
    public String requestSha256() {
        return requestSha256;
    }

    /** Set by the HTTP edge from the raw body. */
    public void requestSha256(String sha256) {
        this.requestSha256 = sha256;
    }

    /** @return the prompt as the caller sent it (message texts), for a kept audit payload; built on demand */
    public String prompt() {
        return request == null ? null : ChatPipeline.promptText(request);
    }

    void request(dev.fundament.inference.ChatRequest chat) {
        this.request = chat;
    }

    /** @return the request's headers by name (case-insensitive), for routing conditions */
    public java.util.function.Function<String, String> headers() {
        return headers;
    }

    /** Set by the HTTP edge. */
    public void headers(java.util.function.Function<String, String> lookup) {
        this.headers = lookup;
    }

    /** @return the shadow call this request was copied to, or null */
    Shadowing.Call shadow() {
        return shadow;
    }

    void shadow(Shadowing.Call call) {
        this.shadow = call;
    }

    /** @return the answer text the caller received so far */
    public String answer() {
        return answer == null ? "" : answer.toString();
    }

    void answer(String text) {
        if (answer == null) {
            answer = new StringBuilder(text.length() + 16);
        }
        answer.append(text);
    }
}
