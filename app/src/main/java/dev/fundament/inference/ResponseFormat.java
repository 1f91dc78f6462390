package dev.fundament.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The output format asked for: free text, any JSON object, or JSON matching a schema. */
public sealed interface ResponseFormat {

    record Text() implements ResponseFormat {
    }

    record JsonObject() implements ResponseFormat {
    }

    /** @param schema the JSON schema; {@code strict} as in OpenAI's structured outputs */
    record JsonSchema(String name, String description, ObjectNode schema, Boolean strict) implements ResponseFormat {
    }
}
