package dev.fundament.inference;

/** Author of a message. {@code DEVELOPER} is OpenAI's newer name for a system-level instruction. */
public enum Role {
    SYSTEM("system"), DEVELOPER("developer"), USER("user"), ASSISTANT("assistant"), TOOL("tool");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the role for an OpenAI wire name, or {@code null} when there is none */
    public static Role fromWire(String name) {
        for (Role role : values()) {
            if (role.wire.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
