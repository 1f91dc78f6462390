package dev.fundament.providers.http;

/** One server-sent event. {@code event} is {@code null} when the event had no {@code event:} line. */
public record SseEvent(String event, String data) {
}
