package dev.fundament.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One part of a multi-part message. Text and images are modelled because guardrails and the Anthropic
 * translation need them; every other part type (audio, files, ...) travels as its raw JSON.
 */
public sealed interface ContentPart {

    record Text(String text) implements ContentPart {
    }

    /** An image by URL; {@code url} may be a {@code data:} URL carrying base64 bytes. */
    record Image(String url, String detail) implements ContentPart {
    }

    /** A part Fundament does not interpret, forwarded as received. */
    record Other(String type, ObjectNode raw) implements ContentPart {
    }
}
