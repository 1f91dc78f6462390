package dev.fundament.guardrails.detect;

import dev.fundament.config.WireName;

/** What a detector finds. Personal data categories are the ones residency policies mean by "personal data". */
public enum Category implements WireName {
    EMAIL("email", true, "EMAIL"),
    PHONE("phone", true, "PHONE"),
    IBAN("iban", true, "IBAN"),
    CREDIT_CARD("credit_card", true, "CARD"),
    IP_ADDRESS("ip_address", true, "IP"),
    DATE_OF_BIRTH("date_of_birth", true, "DOB"),
    ADDRESS("address", true, "ADDRESS"),
    NATIONAL_ID("national_id", true, "ID"),
    PERSON("person", true, "PERSON"),
    SECRET("secret", false, "SECRET"),
    PROMPT_INJECTION("prompt_injection", false, "INJECTION"),
    CANARY("canary", false, "CANARY");

    private final String wire;
    private final boolean personal;
    private final String placeholder;

    Category(String wire, boolean personal, String placeholder) {
        this.wire = wire;
        this.personal = personal;
        this.placeholder = placeholder;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** @return whether this is personal data in the GDPR sense */
    public boolean personal() {
        return personal;
    }

    /** @return the stem of this category's pseudonym, as in {@code <PERSON_1>} */
    public String placeholder() {
        return placeholder;
    }

    /** @return whether findings of this category are spans of text (all but prompt injection, which judges a whole text) */
    public boolean spanned() {
        return this != PROMPT_INJECTION;
    }
}
