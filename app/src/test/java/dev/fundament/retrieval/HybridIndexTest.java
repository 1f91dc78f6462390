package dev.fundament.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fundament.identity.Principal;
import dev.fundament.identity.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hybrid search over public, team-only and HR-only chunks: fusion by score, deletion, and access control in every query. */
class HybridIndexTest {

    private HybridIndex index;

    private static Set<String> readers(String user, String team) {
        return Readers.of(new Principal(user, false, team, Set.of(Role.USER), Set.of(), "k", "fk-x", Map.of("issued_by", "admin")));
    }

    @BeforeEach
    void setUp() {
        index = new HybridIndex(new ByteBuffersDirectory());
        index.put(List.of(
                new Chunk("prices#1", "prices", "company", "Price list 2026",
                        "The hydraulic press HP-400 costs 48,000 EUR; delivery takes six weeks.", new float[] {1, 0, 0, 0},
                        Set.of(Readers.PUBLIC)),
                new Chunk("salaries#1", "salaries", "company", "Salary bands",
                        "Salary band E5 for engineers: 62,000 to 71,000 EUR. The hydraulic press team gets a bonus.",
                        new float[] {0.9f, 0.1f, 0, 0}, Set.of("team:hr")),
                new Chunk("tickets#1", "tickets", "company", "Ticket 4711",
                        "Kunde meldet: Die Presse verliert Hydrauliköl an der Dichtung.", new float[] {0, 1, 0, 0},
                        Set.of("team:support")),
                new Chunk("other#1", "other", "elsewhere", "Another collection",
                        "The hydraulic press HP-400 in another collection.", new float[] {1, 0, 0, 0}, Set.of(Readers.PUBLIC))));
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    @Test
    void bothSearchesAreFusedByScore() {
        List<Hit> hits = index.search("company", "hydraulic press price", new float[] {1, 0, 0, 0}, readers("ann", "hr"), 10);
        assertThat(hits).extracting(Hit::id).containsExactly("prices#1", "salaries#1");
        Hit best = hits.getFirst();
        assertThat(best.textRank()).isEqualTo(1);
        assertThat(best.vectorRank()).isEqualTo(1);
        assertThat(best.score()).as("best of the candidates in both searches").isEqualTo(1.0);
        assertThat(hits.get(1).score()).as("weakest of the candidates in both searches").isZero();
        assertThat(best.title()).isEqualTo("Price list 2026");
        assertThat(best.document()).isEqualTo("prices");

        List<Hit> vectorOnly = index.search("company", "", new float[] {0, 1, 0, 0}, readers("sam", "support"), 1);
        assertThat(vectorOnly).extracting(Hit::id).containsExactly("tickets#1");
        assertThat(vectorOnly.getFirst().textRank()).isZero();
        assertThat(vectorOnly.getFirst().score()).as("one search alone: its normalised score").isEqualTo(1.0);
    }

    @Test
    void aClearLeadInOneSearchOutweighsANarrowLeadInTheOther() {
        // Document 1 is far ahead by text and barely behind by vector; document 2 the other way round.
        // By rank the two would tie; by normalised score document 1 wins.
        ScoreDoc[] byText = {new ScoreDoc(1, 10f), new ScoreDoc(2, 2f), new ScoreDoc(3, 1f)};
        ScoreDoc[] byVector = {new ScoreDoc(2, 0.95f), new ScoreDoc(1, 0.94f), new ScoreDoc(4, 0.10f)};
        List<HybridIndex.Candidate> fused = HybridIndex.fuse(byText, byVector);
        assertThat(fused).extracting(c -> c.doc).containsExactly(1, 2, 3, 4);
        assertThat(fused.get(0).score).isCloseTo(0.5 + 0.5 * 0.84 / 0.85, within(1e-6));
        assertThat(fused.get(1).score).isCloseTo(0.5 / 9 + 0.5, within(1e-6));
        assertThat(fused.get(2).score).as("weakest by text, not found by vector").isZero();
        assertThat(fused.get(0).textRank).isEqualTo(1);
        assertThat(fused.get(0).vectorRank).isEqualTo(2);
        assertThat(fused.get(2).vectorRank).as("not among the vector candidates").isZero();

        assertThat(HybridIndex.fuse(new ScoreDoc[] {new ScoreDoc(7, 3f)}, null)).singleElement()
                .satisfies(c -> assertThat(c.score).as("a lone candidate").isEqualTo(1.0));
        assertThat(HybridIndex.fuse(null, null)).isEmpty();
    }

    @Test
    void aChunkTheCallerMayNotReadIsNeverReturnedOrCounted() {
        Set<String> sales = readers("bob", "sales");
        List<Hit> hits = index.search("company", "salary band E5 engineers", new float[] {0.9f, 0.1f, 0, 0}, sales, 100);
        assertThat(hits).extracting(Hit::id).doesNotContain("salaries#1", "tickets#1").containsExactly("prices#1");
        assertThat(hits).allSatisfy(h -> assertThat(h.text()).doesNotContain("Salary"));
        assertThat(index.search("company", "Salary", null, sales, 100)).as("not even a count").isEmpty();

        assertThat(index.search("company", "salary band E5", null, readers("ann", "hr"), 10)).extracting(Hit::id)
                .containsExactly("salaries#1");
        assertThat(index.search("company", "", new float[] {0.9f, 0.1f, 0, 0}, Set.of("user:carl"), 10))
                .as("nothing public is granted without the public entry").isEmpty();
    }

    @Test
    void germanTextIsFoundByAnotherFormOfTheWord() {
        assertThat(index.search("company", "Dichtungen", null, readers("sam", "support"), 10)).extracting(Hit::id)
                .as("Dichtungen finds Dichtung").containsExactly("tickets#1");
        assertThat(index.search("company", "Pressen Dichtungen", null, readers("sam", "support"), 10)).extracting(Hit::id)
                .startsWith("tickets#1");
    }

    @Test
    void reindexingReplacesADocumentAndDeletingRemovesIt() {
        index.put(List.of(new Chunk("prices#1", "prices", "company", "Price list 2026",
                        "The hydraulic press HP-400 now costs 51,000 EUR.", new float[] {1, 0, 0, 0}, Set.of(Readers.PUBLIC)),
                new Chunk("prices#2", "prices", "company", "Price list 2026",
                        "Spare seals cost 120 EUR.", new float[] {0, 0, 1, 0}, Set.of(Readers.PUBLIC))));
        Set<String> anyone = readers("bob", "sales");
        assertThat(index.search("company", "hydraulic press", null, anyone, 10)).extracting(Hit::text)
                .containsExactly("The hydraulic press HP-400 now costs 51,000 EUR.");
        assertThat(index.search("company", "seals", null, anyone, 10)).hasSize(1);

        index.compact();
        assertThat(index.search("company", "seals", null, anyone, 10)).as("merging keeps every chunk").hasSize(1);

        index.delete("company", "prices");
        assertThat(index.search("company", "hydraulic press seals", new float[] {1, 0, 0, 0}, anyone, 10)).isEmpty();
        assertThat(index.search("elsewhere", "hydraulic press", null, anyone, 10)).as("other collections keep theirs")
                .extracting(Hit::id).containsExactly("other#1");
    }

    @Test
    void anEnglishOnlyIndexDoesNotStemGerman() {
        try (HybridIndex english = new HybridIndex(new ByteBuffersDirectory(), List.of("en"))) {
            english.put(List.of(new Chunk("t#1", "t", "company", "Ticket", "Die Presse verliert Öl an der Dichtung.",
                    new float[] {0, 1, 0, 0}, Set.of(Readers.PUBLIC))));
            assertThat(english.search("company", "Dichtungen", null, Set.of(Readers.PUBLIC), 10)).isEmpty();
            assertThat(english.search("company", "Dichtung", null, Set.of(Readers.PUBLIC), 10)).hasSize(1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HybridIndex(new ByteBuffersDirectory(), List.of("fr")))
                .hasMessageContaining("no analysis for language 'fr'");
    }

    @Test
    void aSearchCanUseOneOfTheIndexsAnalysesAsACollectionsLanguagesSay() {
        index.put(List.of(new Chunk("t#1", "t", "company", "Ticket", "Die Presse verliert Öl an der Dichtung.",
                new float[] {0, 1, 0, 0}, Set.of(Readers.PUBLIC))));
        Set<String> anyone = Set.of(Readers.PUBLIC);
        assertThat(index.search("company", "Dichtungen", null, anyone, Map.of(), null, 10)).as("German analysis stems").hasSize(1);
        assertThat(index.search("company", "Dichtungen", null, anyone, Map.of(), List.of("en"), 10)).as("English only").isEmpty();
        assertThat(index.search("company", "Dichtungen", null, anyone, Map.of(), List.of("de"), 10)).hasSize(1);
    }

    @Test
    void collectionsWithEmbeddingModelsOfDifferentSizesShareOneIndex() {
        index.put(List.of(new Chunk("wide#1", "wide", "wide-model", "Wide", "Vectors of eight dimensions.",
                new float[] {1, 0, 0, 0, 0, 0, 0, 1}, Set.of(Readers.PUBLIC))));
        assertThat(index.search("wide-model", "", new float[] {1, 0, 0, 0, 0, 0, 0, 1}, Set.of(Readers.PUBLIC), 10))
                .extracting(Hit::id).containsExactly("wide#1");
        assertThat(index.search("company", "hydraulic press", new float[] {1, 0, 0, 0}, readers("bob", "sales"), 10))
                .as("the four-dimensional collection is searched as before").isNotEmpty();
    }
}
