package dev.fundament.guardrails.detect;

/**
 * One thing a detector found: where, what, and how sure. Holds positions, never the text itself, so
 * it can be logged and audited.
 *
 * @param start first character, inclusive
 * @param end   last character, exclusive
 * @param score confidence from 0 to 1; rule detectors with a checksum say 1
 */
public record Finding(Category category, String detector, int start, int end, double score) {

    public int length() {
        return end - start;
    }

    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }
}
