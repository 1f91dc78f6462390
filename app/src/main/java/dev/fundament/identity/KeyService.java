package dev.fundament.identity;

import dev.fundament.error.Bounds;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Managing keys under the role rules, and the first admin key.
 *
 * <p>An admin manages every key; a team admin only its own team's keys, and can grant no role above
 * its own; everyone else may manage none. A key a caller may not see answers as if it did not exist
 * (404), so a team admin cannot even learn that another team's key exists. The key itself is returned
 * once, on creation or rotation, and never stored. Blocking: call from a worker thread.
 *
 * <p>A team admin vouches for nobody: its keys are attributed to {@code key:<team>/<name>}, never to a
 * name that could be a person's (ledger, audit, per-user limits and budgets, roll-out cohorts all key on
 * the subject), and it cannot set the metadata Fundament acts on ({@link #ADMIN_ONLY_METADATA}, and any
 * name a configured {@code rollout:} or {@code when:} matches on).
 */
@ApplicationScoped
public class KeyService {

    private static final Logger LOG = Logger.getLogger(KeyService.class);
    static final String ADMIN_KEY_FILE = "admin.key";
    /** The roles a team admin may give (and so the only keys it may rotate or revoke). */
    private static final Set<Role> TEAM_ADMIN_GRANTS = Set.of(Role.USER, Role.TEAM_ADMIN);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ApiKeyStore store;
    private final KeyRevocations revocations;
    private final ModelAccess access;
    private final Clock clock;
    private final java.util.function.Consumer<AdminAction> audit;

    @Inject
    public KeyService(ApiKeyStore store, KeyRevocations revocations, ModelAccess access,
                      jakarta.enterprise.event.Event<AdminAction> audit) {
        this(store, revocations, access, Clock.systemUTC(), audit::fire);
    }

    KeyService(ApiKeyStore store, KeyRevocations revocations, ModelAccess access, Clock clock,
               java.util.function.Consumer<AdminAction> audit) {
        this.audit = audit;
        this.store = store;
        this.revocations = revocations;
        this.access = access;
        this.clock = clock;
    }

    /** A key as shown once: the stored record and the key itself. */
    public record Created(ApiKey key, String plaintext) {
        @Override
        public String toString() {
            return "Created[" + key.prefix() + "]";
        }
    }

    /**
     * Metadata Fundament sets on every key: {@code admin} or {@code team-admin}, who issued it. Company
     * data trusts a key's subject as a {@code user:} reader only when an admin issued the key (a team
     * admin could otherwise name anyone as the subject).
     */
    public static final String ISSUED_BY = "issued_by";

    /**
     * Metadata Fundament grants something on, which only an admin sets: {@code groups} opens
     * {@code group:<name>} documents; {@code auth} marks an SSO identity (Fundament sets it on SSO users
     * and trusts it only there, never on a key, but a key should not claim it either).
     */
    public static final Set<String> ADMIN_ONLY_METADATA = Set.of("groups", "auth");

    /** The prefix of the subject of a key a team admin made: {@code key:<team>/<name>}. */
    public static final String TEAM_KEY_SUBJECT = "key:";

    /** @return the subject of a key a team admin made: never a person's identity */
    public static String teamKeySubject(String team, String name) {
        return TEAM_KEY_SUBJECT + team + "/" + name;
    }

    public Created create(Principal actor, KeyRequest request) {
        bounded(request);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(clock.instant())) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'expires_at' (" + request.expiresAt() + ") is not in the"
                    + " future; a key must be usable when it is made. Give a later instant, or none for a key that does not expire.",
                    "expires_at");
        }
        String team = request.team();
        if (actor.has(Role.ADMIN)) {
            if (team != null && !access.teams().contains(team)) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Unknown team '" + team + "'; teams are defined in"
                        + " fundament.yaml under identity.teams: " + access.teams() + ".", "team");
            }
        } else if (actor.has(Role.TEAM_ADMIN)) {
            team = team == null ? actor.team() : team;
            if (!team.equals(actor.team())) {
                throw denied("A team admin creates keys for its own team only ('" + actor.team() + "').");
            }
            if (!TEAM_ADMIN_GRANTS.containsAll(request.roles())) {
                throw denied("A team admin can grant the roles user and team-admin only.");
            }
            if (request.subject() != null) {
                // ledger and audit attribute a key's calls to its subject: a team admin could name anyone
                throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins set a key's 'subject'; a team admin's"
                        + " key is attributed to " + teamKeySubject(team, "<name>") + ".", "subject");
            }
            for (String name : new java.util.TreeSet<>(request.metadata().keySet())) {
                if (ADMIN_ONLY_METADATA.contains(name) || access.conditionMetadata().contains(name)) {
                    // groups open documents, a rollout: or when: on this name opens models or targets
                    throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins set the metadata '" + name
                            + "': Fundament grants access on it (" + (ADMIN_ONLY_METADATA.contains(name) ? "documents"
                            : "a model's rollout or a target's condition") + ").", "metadata." + name);
                }
            }
        } else {
            throw denied("Only admins and team admins manage keys.");
        }
        if (request.metadata().containsKey(ISSUED_BY)) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The metadata key '" + ISSUED_BY + "' is set by Fundament.",
                    "metadata." + ISSUED_BY);
        }
        for (String model : request.allowedModels()) {
            if (!access.allowed(new Principal("x", false, team, Set.of(), Set.of(), null, null, Map.of()), model)) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "Team '" + team + "' may not use model '" + model
                        + "', so no key of it can.", "allowed_models");
            }
        }
        boolean byAdmin = actor.has(Role.ADMIN);
        String subject = byAdmin ? request.subject() : teamKeySubject(team, request.name());
        if (!byAdmin && subject.length() > Bounds.SUBJECT) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'name' makes the key's subject " + subject.length()
                    + " characters long (" + teamKeySubject(team, "<name>") + "); at most " + Bounds.SUBJECT
                    + " are allowed. Use a shorter name.", "name");
        }
        KeyMaterial.NewKey material = KeyMaterial.generate();
        Map<String, String> metadata = new java.util.LinkedHashMap<>(request.metadata());
        metadata.put(ISSUED_BY, byAdmin ? "admin" : "team-admin");
        storedLength(metadata, request.allowedModels());
        ApiKey key = record(material, new KeyRequest(request.name(), request.team(), request.roles(), request.service(),
                subject, request.allowedModels(), metadata, request.expiresAt()), team, clock.instant());
        store.insert(key);
        audit.accept(new AdminAction(actor, "key.create", key.id(), Map.of("prefix", key.prefix(), "team", String.valueOf(key.team()),
                "roles", key.roles().toString())));
        LOG.infof("Key %s created for %s (team %s) by %s", key.prefix(), key.subject(), key.team(), actor.subject());
        return new Created(key, material.plaintext());
    }

    public List<ApiKey> list(Principal actor, String team) {
        if (actor.has(Role.ADMIN) || actor.has(Role.AUDITOR)) {
            return store.list(team);
        }
        if (actor.has(Role.TEAM_ADMIN)) {
            if (team != null && !team.equals(actor.team())) {
                throw denied("A team admin sees its own team's keys only ('" + actor.team() + "').");
            }
            return store.list(actor.team());
        }
        throw denied("Only admins, auditors and team admins list keys.");
    }

    public ApiKey get(Principal actor, String id) {
        Optional<ApiKey> key = store.findById(id);
        if (key.isEmpty() || !(actor.has(Role.ADMIN) || actor.has(Role.AUDITOR) || actor.canManageTeam(key.get().team()))) {
            throw notFound(id);
        }
        return key.get();
    }

    public Created rotate(Principal actor, String id) {
        ApiKey old = manageable(actor, id);
        if (!actor.has(Role.ADMIN) && !grantableByTeamAdmin(old)) {
            // a rotated key keeps its groups, subject and issuer: rotating an admin's key would hand
            // a team admin powers (group:<name> documents, a trusted subject) it could not grant
            throw denied("Key " + old.prefix() + "… carries what a team admin cannot give (an admin as its issuer, groups, a"
                    + " subject of its own, or metadata a rollout or condition matches on); only an admin rotates it. A team admin"
                    + " may revoke it and create a new one.");
        }
        KeyMaterial.NewKey material = KeyMaterial.generate();
        Instant now = clock.instant();
        KeyRequest same = new KeyRequest(old.name(), old.team(), old.roles(), old.service(), old.subject(),
                old.allowedModels(), old.metadata(), old.expiresAt());
        ApiKey next = record(material, same, old.team(), now);
        if (!store.replace(old.id(), next, now)) {
            throw new GatewayException(ErrorKind.CONFLICT, "Key " + old.prefix() + "… is already revoked; create a new key.");
        }
        revocations.revoked(old.hash());
        audit.accept(new AdminAction(actor, "key.rotate", old.id(), Map.of("prefix", old.prefix(), "replaced_by", next.id())));
        LOG.infof("Key %s rotated to %s by %s", old.prefix(), next.prefix(), actor.subject());
        return new Created(next, material.plaintext());
    }

    public ApiKey revoke(Principal actor, String id) {
        ApiKey key = manageable(actor, id);
        if (!store.revoke(id, clock.instant())) {
            throw new GatewayException(ErrorKind.CONFLICT, "Key " + key.prefix() + "… is already revoked.");
        }
        revocations.revoked(key.hash());
        audit.accept(new AdminAction(actor, "key.revoke", key.id(), Map.of("prefix", key.prefix())));
        LOG.infof("Key %s revoked by %s", key.prefix(), actor.subject());
        return store.findById(id).orElseThrow();
    }

    /**
     * Makes sure an admin key exists: the key in {@code FUNDAMENT_BOOTSTRAP_KEY} when set, otherwise a
     * new one written to {@code <data>/admin.key}, readable only by its owner, when no usable admin key
     * is stored.
     */
    void bootstrap(@Observes StartupEvent event,
                   @ConfigProperty(name = "fundament.bootstrap-key") Optional<String> given,
                   @ConfigProperty(name = "fundament.data-dir") String dataDir) {
        Instant now = clock.instant();
        KeyRequest admin = new KeyRequest("bootstrap admin", null, Set.of(Role.ADMIN), false, "admin", Set.of(), Map.of(), null);
        if (given.isPresent() && !given.get().isBlank()) {
            KeyMaterial.NewKey material = KeyMaterial.of(given.get().trim());
            if (store.findByHash(material.hash()).isEmpty()) {
                store.insert(record(material, admin, null, now));
                LOG.infof("Admin key %s… from FUNDAMENT_BOOTSTRAP_KEY stored", material.prefix());
            }
            return;
        }
        if (store.hasUsableAdmin(now)) {
            return;
        }
        KeyMaterial.NewKey material = KeyMaterial.generate();
        Path file = Path.of(dataDir).resolve(ADMIN_KEY_FILE);
        write(file, material.plaintext());
        store.insert(record(material, admin, null, now));
        LOG.infof("First start: an admin key (%s…) was created and written to %s, readable by this user only."
                + " Use it as 'Authorization: Bearer <key>'.", material.prefix(), file.toAbsolutePath());
    }

    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file, e);
        }
    }

    private ApiKey manageable(Principal actor, String id) {
        Optional<ApiKey> key = store.findById(id);
        if (key.isEmpty() || !actor.canManageTeam(key.get().team()) && !actor.has(Role.ADMIN)) {
            throw notFound(id);
        }
        if (!actor.has(Role.ADMIN) && !TEAM_ADMIN_GRANTS.containsAll(key.get().roles())) {
            throw notFound(id);
        }
        return key.get();
    }

    /**
     * Whether a team admin could have made this key: issued by a team admin, with its roles, its
     * namespaced subject and none of the metadata only an admin sets (as things are configured now).
     */
    private boolean grantableByTeamAdmin(ApiKey key) {
        return "team-admin".equals(key.metadata().get(ISSUED_BY)) && TEAM_ADMIN_GRANTS.containsAll(key.roles())
                && key.team() != null && key.subject().equals(teamKeySubject(key.team(), key.name()))
                && key.metadata().keySet().stream().noneMatch(n -> ADMIN_ONLY_METADATA.contains(n)
                        || access.conditionMetadata().contains(n));
    }

    /** Every string of a key request within {@link Bounds}: each reaches the key store, the ledger and the audit trail. */
    private static void bounded(KeyRequest r) {
        Bounds.check(r.name(), Bounds.KEY_NAME, "name");
        Bounds.check(r.subject(), Bounds.SUBJECT, "subject");
        Bounds.check(r.metadata(), Bounds.KEY_METADATA_ENTRIES, Bounds.KEY_METADATA_KEY, Bounds.KEY_METADATA_VALUE, "metadata");
        Bounds.check(r.metadata().get("use_case"), Bounds.TAG, "metadata.use_case");
        int i = 0;
        for (String model : r.allowedModels()) {
            Bounds.check(model, Bounds.MODEL, "allowed_models[" + i++ + "]");
        }
    }

    /** The stored forms (metadata as JSON, allowed models comma-joined) within their columns. */
    private static void storedLength(Map<String, String> metadata, Set<String> allowedModels) {
        try {
            int json = JSON.writeValueAsString(new java.util.TreeMap<>(metadata)).length();
            if (json > Bounds.KEY_METADATA_JSON) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'metadata' takes " + json + " characters as JSON; at most "
                        + Bounds.KEY_METADATA_JSON + " are allowed.", "metadata");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'metadata' cannot be written as JSON.", "metadata");
        }
        int joined = String.join(",", allowedModels).length();
        if (joined > Bounds.ALLOWED_MODELS_JOINED) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'allowed_models' takes " + joined + " characters; at most "
                    + Bounds.ALLOWED_MODELS_JOINED + " are allowed. Allow the models through the team instead.", "allowed_models");
        }
    }

    private static ApiKey record(KeyMaterial.NewKey material, KeyRequest r, String team, Instant now) {
        return new ApiKey(UUID.randomUUID().toString(), material.prefix(), material.hash(), r.name(), r.service(),
                r.subject() != null ? r.subject() : r.name(), team, r.roles(), r.allowedModels(), r.metadata(), now,
                r.expiresAt(), null, null);
    }

    private static GatewayException denied(String message) {
        return new GatewayException(ErrorKind.PERMISSION_DENIED, message);
    }

    private static GatewayException notFound(String id) {
        return new GatewayException(ErrorKind.NOT_FOUND, "No key with id '" + id + "'.", "id");
    }
}
