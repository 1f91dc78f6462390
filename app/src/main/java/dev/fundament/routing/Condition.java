package dev.fundament.routing;

import dev.fundament.config.ConditionSpec;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A compiled {@link ConditionSpec}: which requests a target serves, or which callers a model being
 * rolled out is enabled for. Every part given must match. The {@code percent} cohort is sticky: a
 * user's place in it is a hash of model and user, so the same user is in or out on every request and
 * on every instance, and raising the percentage only adds users.
 */
public final class Condition {

    /** Matches every request. */
    public static final Condition ALWAYS = new Condition(new ConditionSpec(null, null, null, null, null, null, null));

    private final Set<String> teams;
    private final Set<String> keys;
    private final Set<String> users;
    private final Map<String, String> headers;
    private final Map<String, String> metadata;
    private final Set<String> classification;
    private final int percent;

    private Condition(ConditionSpec spec) {
        this.teams = Set.copyOf(spec.teams());
        this.keys = Set.copyOf(spec.keys());
        this.users = Set.copyOf(spec.users());
        this.headers = Map.copyOf(spec.headers());
        this.metadata = Map.copyOf(spec.metadata());
        this.classification = Set.copyOf(spec.classification().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
        this.percent = spec.percent() == null ? 100 : spec.percent();
    }

    /** @return the condition, {@link #ALWAYS} for none */
    public static Condition of(ConditionSpec spec) {
        return spec == null ? ALWAYS : new Condition(spec);
    }

    public boolean always() {
        return this == ALWAYS || teams.isEmpty() && keys.isEmpty() && users.isEmpty() && headers.isEmpty()
                && metadata.isEmpty() && classification.isEmpty() && percent >= 100;
    }

    /** @param model the public model name, which seeds the sticky cohort */
    public boolean matches(Caller caller, String model) {
        if (!in(teams, caller.principal().team()) || !in(keys, caller.principal().keyId()) || !in(users, caller.user())) {
            return false;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!h.getValue().equals(caller.header().apply(h.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (!m.getValue().equals(caller.principal().metadata().get(m.getKey()))) {
                return false;
            }
        }
        if (!classification.isEmpty() && caller.classification().stream().noneMatch(classification::contains)) {
            return false;
        }
        return percent >= 100 || bucket(model, caller.user()) < percent;
    }

    /** @return whether the value is in the list, an empty list taking every value */
    private static boolean in(Set<String> list, String value) {
        return list.isEmpty() || value != null && list.contains(value);
    }

    /** @return a user's place, 0..99, in the cohorts of one model: the same on every call and instance */
    static int bucket(String model, String user) {
        byte[] bytes = (model + '\u0000' + user).getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L; // FNV-1a, then a final mix so that near names spread
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, 100);
    }

    /** @return the condition as configured, for the admin API */
    public Map<String, Object> describe() {
        Map<String, Object> out = new TreeMap<>();
        if (!teams.isEmpty()) {
            out.put("teams", new java.util.TreeSet<>(teams));
        }
        if (!keys.isEmpty()) {
            out.put("keys", new java.util.TreeSet<>(keys));
        }
        if (!users.isEmpty()) {
            out.put("users", new java.util.TreeSet<>(users));
        }
        if (!headers.isEmpty()) {
            out.put("headers", new TreeMap<>(headers));
        }
        if (!metadata.isEmpty()) {
            out.put("metadata", new TreeMap<>(metadata));
        }
        if (!classification.isEmpty()) {
            out.put("classification", new java.util.TreeSet<>(classification));
        }
        if (percent < 100) {
            out.put("percent", percent);
        }
        return out;
    }
}
