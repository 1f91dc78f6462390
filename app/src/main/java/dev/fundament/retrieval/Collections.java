package dev.fundament.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fundament.config.ConfigLoader;
import dev.fundament.config.CollectionSpec;
import dev.fundament.config.Configuration;
import dev.fundament.config.LoadedConfig;
import dev.fundament.error.ErrorKind;
import dev.fundament.error.GatewayException;
import dev.fundament.identity.Principal;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.retrieval.ingest.Pipeline;
import dev.fundament.retrieval.ingest.Progress;
import dev.fundament.retrieval.ingest.SourceDocument;
import dev.fundament.retrieval.ingest.SourceRun;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.store.FSDirectory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Company data as the rest of Fundament sees it: the collections (from fundament.yaml and created
 * through the admin API), search with access control, documents pushed through the API, and each
 * collection's status. Behind it: the {@link DocumentStore} of record, this instance's
 * {@link HybridIndex} kept in step by an {@link IndexFollower}, and a {@link SourceScheduler} running
 * the connectors.
 *
 * <p>A caller never learns about chunks it may not read: the access filter is inside the index
 * query, and a caller who may not use a collection at all gets 403 before anything is searched.
 */
@ApplicationScoped
public class Collections {

    private static final Logger LOG = Logger.getLogger(Collections.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentStore store;
    private final Embedder embedder;
    private final HybridIndex index;
    private final IndexFollower follower;
    private final SourceScheduler scheduler;
    private final LoadedConfig config;
    private final Path dataDir;
    private final Clock clock;
    private final Map<String, Collection> collections = new ConcurrentHashMap<>();
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final PiiPolicies pii;

    @Inject
    public Collections(Configuration configuration, Storage storage, Embedder embedder, PiiPolicies pii,
                       @ConfigProperty(name = "fundament.data-dir") String dataDir) {
        this(configuration.get(), new DocumentStore(storage.dataSource()), embedder, pii, Path.of(dataDir), Clock.systemUTC());
    }

    Collections(LoadedConfig config, DocumentStore store, Embedder embedder, PiiPolicies pii, Path dataDir, Clock clock) {
        this.config = config;
        this.pii = pii;
        this.store = store;
        this.embedder = embedder;
        this.dataDir = dataDir;
        this.clock = clock;
        try {
            this.index = new HybridIndex(FSDirectory.open(dataDir.resolve("index")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the retrieval index in " + dataDir.resolve("index"), e);
        }
        this.follower = new IndexFollower(store, index, clock);
        this.scheduler = new SourceScheduler(store, follower, index, config, Path.of("").toAbsolutePath(), clock);
        Map<String, CollectionSpec> specs = new LinkedHashMap<>(config.spec().collections());
        if (config.source().equals(SampleCollection.DEFAULTS_SOURCE) && !specs.containsKey(SampleCollection.NAME)) {
            specs.put(SampleCollection.NAME, SampleCollection.install(dataDir));
        }
        specs.forEach((name, spec) -> register(new Collection(name, spec, "config", secrets(name)), pii));
        store.collections().forEach(this::registerStored);
    }

    /** Registers a collection made through the API; @return it, or null when its settings are no longer valid */
    private Collection registerStored(String name, String json) {
        if (collections.containsKey(name)) {
            return null;
        }
        try {
            ConfigLoader.CollectionSettings settings = ConfigLoader.collection(name, JSON.readTree(json), config.spec(),
                    System.getenv());
            Collection c = new Collection(name, settings.spec(), "api", settings.secrets());
            register(c, pii);
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Collection %s, created through the API, has settings that are no longer valid and is not served: %s",
                    name, e.getMessage());
            return null;
        }
    }

    /**
     * Follows collections made or deleted through the API on other instances: every instance reads
     * {@code rag_collections} every few seconds.
     */
    synchronized void refresh() {
        Map<String, String> stored = store.collections();
        stored.forEach((name, json) -> {
            Collection added = registerStored(name, json);
            if (added != null) {
                scheduler.schedule(added, pipelines.get(name));
            }
        });
        for (Collection c : List.copyOf(collections.values())) {
            if (c.origin().equals("api") && !stored.containsKey(c.name())) {
                scheduler.unschedule(c.name());
                collections.remove(c.name());
                pipelines.remove(c.name());
            }
        }
    }

    void start(@Observes StartupEvent event) {
        scheduler.start();
        scheduler.every(java.time.Duration.ofSeconds(5), this::refresh);
        for (Collection c : collections.values()) {
            scheduler.schedule(c, pipelines.get(c.name()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    /** Stops the connectors and closes the index. */
    public void close() {
        scheduler.stop();
        index.close();
    }

    /** The pipeline first: a collection is visible only once everything it needs is there. */
    private void register(Collection c, PiiPolicies pii) {
        CollectionSpec s = c.spec();
        pipelines.put(c.name(), new Pipeline(new Pipeline.Settings(c.name(), c.readers(), s.embeddingModel(),
                s.chunking().maxTokens(), s.chunking().overlapTokens(), pii.filter(s.pii()), s.pii().toString()), store,
                embedder, clock));
        collections.put(c.name(), c);
    }

    public List<Collection> list() {
        return collections.values().stream().sorted(java.util.Comparator.comparing(Collection::name)).toList();
    }

    public Optional<Collection> find(String name) {
        return Optional.ofNullable(collections.get(name));
    }

    /** @throws GatewayException {@code collection_not_found} */
    public Collection require(String name) {
        Collection c = collections.get(name);
        if (c == null) {
            throw new GatewayException(ErrorKind.COLLECTION_NOT_FOUND, "Collection '" + name + "' does not exist. "
                    + "GET /v1/collections lists the collections you may search.", "collection");
        }
        return c;
    }

    /** @throws GatewayException {@code collection_not_found}, or {@code permission_denied} for a caller who may not search it */
    public Collection searchable(Principal principal, String name) {
        Collection c = require(name);
        if (!c.searchableBy(principal, Readers.of(principal))) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "You may not search collection '" + name
                    + "'. Ask its owner team (" + c.spec().owner() + ") for access.", "collection");
        }
        return c;
    }

    /**
     * A hybrid search within what the caller may read. Blocking (the query is embedded).
     *
     * @param filters metadata a result must have ({@code source}, or a source's own fields)
     */
    public List<Hit> search(Principal principal, String name, String query, int limit, Map<String, String> filters) {
        Collection c = searchable(principal, name);
        float[] vector = embedder.embed(c.spec().embeddingModel(), List.of(c.spec().queryPrefix() + query)).get(0);
        return index.search(c.name(), query, vector, Readers.of(principal), filters, c.spec().languages(), limit);
    }

    /** What a push stored. */
    public record Pushed(String id, String status, String reason, int chunks) {
    }

    /**
     * Stores documents sent through the API (source {@code api}, or a push source's name), through
     * the same pipeline as every connector. Blocking.
     */
    public List<Pushed> push(Principal principal, String name, String source, List<SourceDocument> documents) {
        Collection c = manageable(principal, name);
        boolean pushSource = c.spec().sources().stream()
                .anyMatch(s -> s.name().equals(source) && s.type() == dev.fundament.config.SourceSpec.SourceType.PUSH);
        if (!source.equals("api") && !pushSource) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "Collection '" + name + "' has no push source '" + source
                    + "'; leave 'source' out (documents go to source 'api') or name one of its push sources.", "source");
        }
        Pipeline pipeline = pipelines.get(c.name());
        if (pipeline == null) { // deleted meanwhile
            throw new GatewayException(ErrorKind.COLLECTION_NOT_FOUND, "Collection '" + name + "' does not exist.", "collection");
        }
        SourceRun run = new SourceRun(pipeline, store, source, Set.of(), () -> false, clock);
        try {
            for (SourceDocument d : documents) {
                run.upsert(d);
            }
            run.flush();
            run.finish(null);
        } catch (Pipeline.EmbeddingFailed e) {
            run.finish(e);
            throw e.getCause() instanceof GatewayException g ? g : new GatewayException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    "The documents could not be embedded (" + c.spec().embeddingModel() + "); nothing was stored. Retry.");
        } catch (DocumentStore.RetrievalStoreException e) {
            throw new GatewayException(ErrorKind.STORE_UNAVAILABLE, "The document store is unavailable; nothing was stored."
                    + " Retry shortly.");
        }
        List<Pushed> out = new ArrayList<>();
        for (SourceDocument d : documents) {
            String id = source + ":" + d.id();
            StoredDocument s = store.document(c.name(), id).orElseThrow();
            out.add(new Pushed(id, s.status(), s.reason(), s.chunks()));
        }
        return out;
    }

    /** Removes a document; @return whether it existed */
    public boolean remove(Principal principal, String name, String id) {
        Collection c = manageable(principal, name);
        return store.delete(c.name(), id);
    }

    private Collection manageable(Principal principal, String name) {
        Collection c = require(name);
        if (!c.manageableBy(principal)) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins and team admins or service accounts of"
                    + " team '" + c.spec().owner() + "' may change collection '" + name + "'.", "collection");
        }
        return c;
    }

    /**
     * Creates a collection through the API, stored in the database; its connectors start at once.
     *
     * @param settings the collection in fundament.yaml's shape
     * @throws dev.fundament.config.ConfigException listing every problem with the settings
     */
    public synchronized Collection create(Principal principal, String name, JsonNode settings) {
        if (collections.containsKey(name)) {
            throw new GatewayException(ErrorKind.CONFLICT, "Collection '" + name + "' exists already.", "name");
        }
        ConfigLoader.CollectionSettings compiled = ConfigLoader.collection(name, settings, config.spec(), System.getenv());
        CollectionSpec spec = compiled.spec();
        if (!principal.has(dev.fundament.identity.Role.ADMIN)
                && spec.sources().stream().anyMatch(src -> src.type() != dev.fundament.config.SourceSpec.SourceType.PUSH)) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "Only admins create collections that read folders, mail,"
                    + " exports or databases (they reach files and servers the gateway can reach); a team admin may create"
                    + " collections with push sources.", "settings");
        }
        if (!principal.has(dev.fundament.identity.Role.ADMIN) && !spec.owner().equals(principal.team())) {
            throw new GatewayException(ErrorKind.PERMISSION_DENIED, "A team admin may create collections owned by their own"
                    + " team only (owner: " + principal.team() + ").", "owner");
        }
        store.drop(name); // what a collection of that name left behind (removed from fundament.yaml) is not adopted
        if (!store.createCollection(name, settings.toString(), principal.subject(), clock.instant())) {
            throw new GatewayException(ErrorKind.CONFLICT, "Collection '" + name + "' exists already.", "name");
        }
        Collection c = new Collection(name, spec, "api", compiled.secrets());
        register(c, pii);
        scheduler.schedule(c, pipelines.get(name));
        return c;
    }

    /** Deletes a collection created through the API, with all its documents. */
    public synchronized void drop(Principal principal, String name) {
        Collection c = manageable(principal, name);
        if (c.origin().equals("config")) {
            throw new GatewayException(ErrorKind.CONFLICT, "Collection '" + name + "' is defined in fundament.yaml; "
                    + "remove it there.", "collection");
        }
        scheduler.unschedule(name);
        collections.remove(name);
        pipelines.remove(name);
        store.drop(name);
    }

    /** Runs a collection's polling sources now. */
    public void sync(Principal principal, String name) {
        scheduler.runNow(manageable(principal, name).name());
    }

    /**
     * A collection's state.
     *
     * @param indexedChunks chunks this instance's index holds for it
     * @param sources       per source: state, last run, error, progress
     */
    public record Status(Collection collection, DocumentStore.Counts counts, int indexedChunks, long indexPosition,
                         List<SourceStatus> sources) {
    }

    /** One source's state; {@code progress} is null when this instance has not run it. */
    public record SourceStatus(String name, String type, String state, String error, java.time.Instant lastRunAt,
                               java.time.Instant lastSuccessAt, Progress progress) {
    }

    public Status status(String name) {
        Collection c = require(name);
        List<SourceStatus> sources = new ArrayList<>();
        for (var s : c.spec().sources()) {
            Optional<DocumentStore.SourceState> state = store.source(name, s.name());
            Progress p = scheduler.progress(name, s.name());
            String st = p != null && p.state().equals("running") ? "running" : state.map(DocumentStore.SourceState::status).orElse("new");
            sources.add(new SourceStatus(s.name(), s.type().wire(), st, state.map(DocumentStore.SourceState::error).orElse(null),
                    state.map(DocumentStore.SourceState::lastRunAt).orElse(null),
                    state.map(DocumentStore.SourceState::lastSuccessAt).orElse(null), p));
        }
        return new Status(c, store.counts(name), indexedChunks(name), follower.position(), sources);
    }

    /** @return chunks of the collection in this instance's index */
    public int indexedChunks(String name) {
        return index.count(require(name).name());
    }

    public List<StoredDocument> documents(String name, String status, int limit, int offset) {
        return store.documents(require(name).name(), status, limit, offset);
    }

    /** Applies pending changes to this instance's index now (tests, and the API after a push). */
    public void catchUp() {
        follower.poll();
    }

    /** @return sources that failed their last run, as {@code collection/source: error} */
    public Map<String, String> failingSources() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Collection c : collections.values()) {
            for (var s : c.spec().sources()) {
                store.source(c.name(), s.name()).filter(st -> "failing".equals(st.status()))
                        .ifPresent(st -> out.put(c.name() + "/" + s.name(), st.error()));
            }
        }
        return out;
    }

    private Map<String, String> secrets(String collection) {
        Map<String, String> out = new java.util.HashMap<>();
        config.secrets().forEach((path, value) -> {
            if (path.startsWith("collections." + collection + ".")) {
                out.put(path, value);
            }
        });
        return out;
    }

    public DocumentStore store() {
        return store;
    }
}
