package dev.fundament.retrieval.ingest;

import java.io.IOException;
import java.io.InputStream;

/** A document's body as its source has it. */
public sealed interface Content {

    /**
     * Text the source already has (a database row, a ticket, a pushed document).
     *
     * @param mediaType {@code text/plain}, {@code text/markdown} or {@code text/html}: how structure
     *                  (headings, tables) is recognised
     */
    record Text(String text, String mediaType) implements Content {
    }

    /**
     * Bytes in some file format, extracted by Apache Tika. Opened when the pipeline reads it, never
     * held in memory by the source.
     *
     * @param name the file name, a hint for the format
     * @param size in bytes, or -1 when unknown
     */
    record Bytes(Opener opener, String name, long size) implements Content {
    }

    /** Opens the bytes, each call a fresh stream. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }
}
