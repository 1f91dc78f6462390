package dev.fundament.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.retrieval.DocumentStore.StoredChunk;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store of record on each database, and indexes following it: two indexes on one store are two
 * instances of Fundament sharing one database, each with its own Lucene index.
 */
abstract class DocumentStoreContract {

    abstract DataSource dataSource();

    private DocumentStore store;
    private final WordHashEmbedder embedder = new WordHashEmbedder();

    @BeforeEach
    void setUp() {
        store = new DocumentStore(dataSource());
    }

    private StoredDocument doc(String id, String sha, Set<String> readers) {
        return new StoredDocument("kb", id, "api", "https://intranet/" + id, "Title " + id, "v1", sha, Instant.now(),
                Instant.now(), 0, readers, Map.of("team", "service"), "indexed", null, 0, null);
    }

    private StoredChunk chunk(int ordinal, String text) {
        return new StoredChunk(ordinal, "Heading", text, embedder.embed("m", List.of(text)).get(0));
    }

    private static Set<String> readers(String user, String team) {
        return Readers.of(new Principal(user, false, team, Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of("issued_by", "admin")));
    }

    @Test
    void aDocumentIsStoredWithItsChunksAndVectorsAndItsRevisionGrowsWithItsContent() {
        store.put(doc("a", "sha-1", Set.of("public")), List.of(chunk(0, "first text"), chunk(1, "second text")));
        StoredDocument a = store.document("kb", "a").orElseThrow();
        assertThat(a.revision()).isEqualTo(1);
        assertThat(a.chunks()).isEqualTo(2);
        assertThat(a.metadata()).containsEntry("team", "service");
        List<StoredChunk> chunks = store.chunks("kb", "a");
        assertThat(chunks).extracting(StoredChunk::text).containsExactly("first text", "second text");
        assertThat(chunks.get(0).vector()).containsExactly(embedder.embed("m", List.of("first text")).get(0));

        store.put(doc("a", "sha-1", Set.of("team:hr")), List.of(chunk(0, "first text")));
        assertThat(store.document("kb", "a").orElseThrow().revision()).as("same content").isEqualTo(1);
        store.put(doc("a", "sha-2", Set.of("team:hr")), List.of(chunk(0, "changed text")));
        assertThat(store.document("kb", "a").orElseThrow().revision()).isEqualTo(2);
        assertThat(store.chunks("kb", "a")).hasSize(1);
        assertThat(store.versions("kb", "api")).containsEntry("a", "v1");
        assertThat(store.counts("kb")).isEqualTo(new DocumentStore.Counts(1, 0, 1));
    }

    @Test
    void twoIndexesFollowingOneStoreServeTheSameDocumentsAndDeletions() {
        HybridIndex first = new HybridIndex(new ByteBuffersDirectory());
        HybridIndex second = new HybridIndex(new ByteBuffersDirectory());
        IndexFollower a = new IndexFollower(store, first, Clock.systemUTC());
        IndexFollower b = new IndexFollower(store, second, Clock.systemUTC());

        store.put(doc("pricing", "s1", Set.of("public")), List.of(chunk(0, "the press brake costs 154,500 euros")));
        store.put(doc("salaries", "s2", Set.of("team:hr")), List.of(chunk(0, "salary bands for service engineers")));
        assertThat(a.poll()).isEqualTo(2);
        assertThat(b.poll()).isEqualTo(2);
        for (HybridIndex index : List.of(first, second)) {
            assertThat(index.search("kb", "press brake costs", null, readers("ann", "sales"), 10))
                    .extracting(Hit::document).containsExactly("pricing");
            assertThat(index.search("kb", "salary bands", null, readers("ann", "sales"), 10)).isEmpty();
            assertThat(index.search("kb", "salary bands", null, readers("hanna", "hr"), 10))
                    .extracting(Hit::document).containsExactly("salaries");
        }
        Hit hit = first.search("kb", "press brake", null, readers("ann", "sales"), 1).get(0);
        assertThat(hit.metadata()).containsEntry("source", "api").containsEntry("uri", "https://intranet/pricing")
                .containsEntry("heading", "Heading");
        assertThat(first.search("kb", "press brake", null, readers("ann", "sales"), Map.of("team", "finance"), 10)).isEmpty();

        store.delete("kb", "pricing");
        b.poll();
        assertThat(second.search("kb", "press brake costs", null, readers("ann", "sales"), 10)).isEmpty();
        assertThat(first.count("kb")).as("the other instance until it polls").isEqualTo(2);
        a.poll();
        assertThat(first.count("kb")).isEqualTo(1);

        store.drop("kb");
        a.poll();
        assertThat(first.count("kb")).isZero();
        assertThat(store.counts("kb")).isEqualTo(new DocumentStore.Counts(0, 0, 0));
    }

    @Test
    void anIndexRemembersHowFarItFollowedAndResumesThere() {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        HybridIndex index = new HybridIndex(dir);
        IndexFollower follower = new IndexFollower(store, index, Clock.systemUTC());
        store.put(doc("one", "s1", Set.of("public")), List.of(chunk(0, "one")));
        follower.poll();
        long position = follower.position();
        assertThat(position).isPositive();
        index.close();

        HybridIndex reopened = new HybridIndex(dir);
        IndexFollower resumed = new IndexFollower(store, reopened, Clock.systemUTC());
        assertThat(resumed.position()).isEqualTo(position);
        store.put(doc("two", "s2", Set.of("public")), List.of(chunk(0, "two")));
        assertThat(resumed.poll()).as("only the new change").isEqualTo(1);
        assertThat(reopened.count("kb")).isEqualTo(2);
    }

    @Test
    void aSourceRunsOnOneInstanceAtATimeAndKeepsItsCursor() {
        Instant now = Instant.now();
        assertThat(store.lease("kb", "crm", "instance-a", Duration.ofSeconds(60), now)).isTrue();
        assertThat(store.lease("kb", "crm", "instance-b", Duration.ofSeconds(60), now)).isFalse();
        assertThat(store.lease("kb", "crm", "instance-a", Duration.ofSeconds(60), now.plusSeconds(30))).as("renewed").isTrue();
        assertThat(store.lease("kb", "crm", "instance-b", Duration.ofSeconds(60), now.plusSeconds(100))).as("expired").isTrue();
        store.release("kb", "crm", "instance-b");
        assertThat(store.lease("kb", "crm", "instance-a", Duration.ofSeconds(60), now.plusSeconds(101))).isTrue();

        store.saveCursor("kb", "crm", "{\"updated_at\":\"2026-11-01T10:00:00Z\"}");
        store.recordRun("kb", "crm", "connection refused", now);
        DocumentStore.SourceState state = store.source("kb", "crm").orElseThrow();
        assertThat(state.cursor()).contains("2026-11-01");
        assertThat(state.status()).isEqualTo("failing");
        assertThat(state.error()).isEqualTo("connection refused");
        store.recordRun("kb", "crm", null, now.plusSeconds(5));
        assertThat(store.source("kb", "crm").orElseThrow().status()).isEqualTo("ok");
    }
}
