package dev.fundament.storage;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Record ids that sort by creation time: version 7 UUIDs (RFC 9562), a 48-bit millisecond timestamp
 * followed by 74 random bits. A table keyed by them grows at its end, so each database transaction
 * touches a few index pages instead of one random page per row, which matters for the ledger and
 * the audit trail, written hundreds of rows a second (docs/benchmarks.md).
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = millis << 16 | 0x7000L | random.nextInt(1 << 12);
        long low = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
