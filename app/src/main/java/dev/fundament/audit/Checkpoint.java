package dev.fundament.audit;

import java.time.Instant;

/** A signed statement that an instance's chain reached {@code seq} with {@code hash} at {@code at}. */
public record Checkpoint(String instance, long seq, String hash, Instant at, String signature, String publicKey) {

    /** @return the bytes that are signed */
    byte[] signed() {
        return (instance + "\n" + seq + "\n" + hash + "\n" + at.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
