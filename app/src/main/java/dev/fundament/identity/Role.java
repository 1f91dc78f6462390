package dev.fundament.identity;

/**
 * What a principal may do. {@code admin} everything; {@code team-admin} manage its own team's keys
 * and read its usage; {@code auditor} read everything, change nothing; {@code metrics} scrape
 * {@code /q/metrics} and nothing else (a monitoring system's key); {@code user} call models.
 */
public enum Role {
    ADMIN("admin"), TEAM_ADMIN("team-admin"), AUDITOR("auditor"), METRICS("metrics"), USER("user");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** @return the role of a wire name, or {@code null} */
    public static Role fromWire(String name) {
        for (Role r : values()) {
            if (r.wire.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
