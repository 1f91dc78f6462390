package dev.fundament.retrieval.ingest;

/**
 * A structural piece of an extracted document, in reading order.
 *
 * @param kind  what it is
 * @param level for a heading, 1 to 6; for a table row, 1 when it is a header row; otherwise 0
 * @param text  its text, whitespace normalised; table cells joined by {@code " | "}
 */
record Block(Kind kind, int level, String text) {

    enum Kind { HEADING, PARAGRAPH, ROW, TABLE_END }
}
