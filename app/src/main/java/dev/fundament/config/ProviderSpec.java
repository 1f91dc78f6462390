package dev.fundament.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream.
 *
 * @param type             which API it speaks
 * @param baseUrl          e.g. {@code https://api.openai.com/v1}; for Azure the resource endpoint
 *                         {@code https://NAME.openai.azure.com}; defaults by type
 * @param apiKey           a secret reference: {@code env:NAME}, {@code file:/path}, or the literal key
 * @param apiVersion       Azure OpenAI's {@code api-version}; default {@code 2024-10-21}
 * @param headers          extra headers sent on every upstream request
 * @param timeouts         upstream time limits
 * @param maxConnections   connections kept to this upstream; default 256
 * @param directAccess     whether {@code <provider>/<model>} reaches any model of this provider; default true
 * @param defaultMaxTokens Anthropic requires {@code max_tokens}; sent when the caller gave none; default 4096
 * @param askForUsage      whether to request usage on streams ({@code stream_options.include_usage});
 *                         default true; turn off for servers that reject the option
 * @param labels           where it runs, for data-residency rules: for example {@code on-prem},
 *                         {@code eu}; default none (the in-process provider {@code local} is on-prem)
 * @param circuitBreaker   whether its targets are skipped for a while after failing half of their recent
 *                         calls; default true
 * @param maxConcurrency   at most this many calls at once (a GPU server's capacity); more wait in a fair
 *                         queue; default 0 = no limit
 * @param maxQueue         how many calls may wait for a slot; more are shed with 503 and Retry-After; default 256
 * @param queueTimeout     the longest wait for a slot before the call is shed; default 30s
 * @param healthCheck      an active health check; default none (passive checks only: the circuit breaker)
 * @param http2            speak HTTP/2 to the upstream (cleartext with prior knowledge for {@code http://},
 *                         ALPN for {@code https://}): many calls share few connections, which thousands of
 *                         concurrent streams need; {@code max_connections} then counts HTTP/2 connections;
 *                         default false (HTTP/1.1, one call per connection at a time)
 */
public record ProviderSpec(@Required ProviderType type, String baseUrl, String apiKey, String apiVersion,
                           Map<String, String> headers, TimeoutsSpec timeouts, Integer maxConnections,
                           Boolean directAccess, Integer defaultMaxTokens, Boolean askForUsage, List<String> labels,
                           Boolean circuitBreaker, Integer maxConcurrency, Integer maxQueue,
                           java.time.Duration queueTimeout, HealthCheckSpec healthCheck, Boolean http2) {

    public ProviderSpec(ProviderType type, String baseUrl, String apiKey, String apiVersion, Map<String, String> headers,
                        TimeoutsSpec timeouts, Integer maxConnections, Boolean directAccess, Integer defaultMaxTokens,
                        Boolean askForUsage, List<String> labels, Boolean circuitBreaker, Integer maxConcurrency,
                        Integer maxQueue, java.time.Duration queueTimeout) {
        this(type, baseUrl, apiKey, apiVersion, headers, timeouts, maxConnections, directAccess, defaultMaxTokens, askForUsage,
                labels, circuitBreaker, maxConcurrency, maxQueue, queueTimeout, null, null);
    }

    public ProviderSpec {
        if (baseUrl == null && type != null) {
            baseUrl = type.defaultBaseUrl();
        }
        if (apiVersion == null && type == ProviderType.AZURE_OPENAI) {
            apiVersion = "2024-10-21";
        }
        headers = headers != null ? headers : Map.of();
        timeouts = timeouts != null ? timeouts : TimeoutsSpec.DEFAULTS;
        maxConnections = maxConnections != null ? maxConnections : 256;
        directAccess = directAccess != null ? directAccess : Boolean.TRUE;
        defaultMaxTokens = defaultMaxTokens != null ? defaultMaxTokens : 4096;
        askForUsage = askForUsage != null ? askForUsage : Boolean.TRUE;
        labels = labels != null ? List.copyOf(labels) : List.of();
        circuitBreaker = circuitBreaker != null ? circuitBreaker : Boolean.TRUE;
        maxConcurrency = maxConcurrency != null ? maxConcurrency : 0;
        maxQueue = maxQueue != null ? maxQueue : 256;
        queueTimeout = queueTimeout != null ? queueTimeout : java.time.Duration.ofSeconds(30);
        http2 = http2 != null ? http2 : Boolean.FALSE;
    }
}
