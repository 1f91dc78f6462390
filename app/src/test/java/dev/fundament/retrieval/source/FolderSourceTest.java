package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.CollectionSpec;
import dev.fundament.config.GuardrailsSpec;
import dev.fundament.guardrails.Guardrails;
import dev.fundament.retrieval.DocumentStore;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.retrieval.PiiPolicies;
import dev.fundament.retrieval.WordHashEmbedder;
import dev.fundament.retrieval.ingest.Pipeline;
import dev.fundament.retrieval.ingest.PiiFilter;
import dev.fundament.retrieval.ingest.Progress;
import dev.fundament.retrieval.ingest.SourceRun;
import dev.fundament.testing.Databases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder through the whole pipeline into the store: changes, deletions, failures, folder readers, personal data. */
class FolderSourceTest {

    @TempDir
    Path folder;

    private DocumentStore store;
    private final WordHashEmbedder embedder = new WordHashEmbedder();

    @BeforeEach
    void setUp() {
        store = new DocumentStore(Databases.h2());
    }

    private Progress run(PiiFilter pii) throws Exception {
        return run(new Pipeline.Settings("docs", Set.of("team:support"), "test-model", 128, 16, pii));
    }

    private Progress run(Pipeline.Settings settings) throws Exception {
        Pipeline pipeline = new Pipeline(settings, store, embedder, Clock.systemUTC());
        SourceRun run = new SourceRun(pipeline, store, "share", Set.of(), () -> false, Clock.systemUTC());
        Throwable failure = null;
        try {
            new FolderSource(folder, List.of()).run(run);
            run.flush();
        } catch (Exception e) {
            failure = e;
        }
        run.finish(failure);
        if (failure != null) {
            throw (Exception) failure;
        }
        return run.progress();
    }

    private Progress run() throws Exception {
        return run(PiiFilter.NONE);
    }

    private void write(String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private List<StoredDocument> documents(String status) {
        return store.documents("docs", status, 100, 0);
    }

    @Test
    void newChangedUnchangedAndDeletedFilesAreEachHandledOnce() throws Exception {
        write("manuals/press.md", "# Press brake\nCrowning keeps angles within 0.3 degrees.");
        write("manuals/laser.md", "# Laser\nNitrogen at 18 bar for stainless steel.");
        write("notes.txt", "Plain notes about spindle warm-up.");
        Progress first = run();
        assertThat(first.indexed()).isEqualTo(3);
        assertThat(documents("indexed")).extracting(StoredDocument::id)
                .containsExactly("share:manuals/laser.md", "share:manuals/press.md", "share:notes.txt");
        int embedded = embedder.texts.get();

        Progress again = run();
        assertThat(again.seen()).as("nothing changed, nothing read").isZero();
        assertThat(embedder.texts.get()).isEqualTo(embedded);

        Path laser = folder.resolve("manuals/laser.md");
        Files.setLastModifiedTime(laser, FileTime.from(Instant.now().plusSeconds(60)));
        Progress touched = run();
        assertThat(touched.unchanged()).as("touched, same content: not embedded again").isEqualTo(1);
        assertThat(embedder.texts.get()).isEqualTo(embedded);

        write("manuals/press.md", "# Press brake\nCrowning keeps angles within 0.2 degrees after the update.");
        Files.delete(folder.resolve("notes.txt"));
        Progress changed = run();
        assertThat(changed.indexed()).isEqualTo(1);
        assertThat(changed.deleted()).isEqualTo(1);
        assertThat(documents(null)).extracting(StoredDocument::id).containsExactly("share:manuals/laser.md", "share:manuals/press.md");
        StoredDocument press = store.document("docs", "share:manuals/press.md").orElseThrow();
        assertThat(press.revision()).isEqualTo(2);
        assertThat(store.chunks("docs", press.id()).get(0).text()).contains("0.2 degrees");
    }

    @Test
    void aCorruptFileIsRecordedWithItsReasonAndTheOthersAreIndexed() throws Exception {
        write("good.md", "# Good\nReadable text.");
        Files.write(folder.resolve("broken.pdf"), "%PDF-1.7 not really".getBytes());
        Files.write(folder.resolve("empty.docx"), new byte[0]);
        Progress p = run();
        assertThat(p.indexed()).isEqualTo(1);
        assertThat(p.failed()).isEqualTo(2);
        assertThat(documents("failed")).extracting(StoredDocument::id).containsExactly("share:broken.pdf", "share:empty.docx");
        assertThat(documents("failed")).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
        assertThat(store.document("docs", "share:broken.pdf").orElseThrow().reason()).contains("broken.pdf");

        Progress again = run();
        assertThat(again.failed()).as("a failed file is not retried until it changes").isZero();
    }

    @Test
    void aReadersFileGivesItsFolderAndBelowItsReaders() throws Exception {
        write("public/catalogue.md", "# Catalogue\nMachines.");
        write("hr/.readers", "# HR only\nteam:hr\ngroup:works-council\n");
        write("hr/reviews/salaries.md", "# Salaries\nBands.");
        run();
        assertThat(store.document("docs", "share:hr/reviews/salaries.md").orElseThrow().readers())
                .containsExactlyInAnyOrder("team:hr", "group:works-council");
        assertThat(store.document("docs", "share:public/catalogue.md").orElseThrow().readers())
                .as("the collection's default").containsExactly("team:support");

        write("hr/.readers", "# emptied by mistake\n");
        Progress locked = run();
        assertThat(store.document("docs", "share:hr/reviews/salaries.md").orElseThrow().status())
                .as("an access list naming nobody keeps the files out; it never falls back to the collection's readers")
                .isEqualTo("failed");
        assertThat(locked.failed()).isEqualTo(1);

        write("hr/.readers", "team:hr\n");
        Progress p = run();
        assertThat(p.indexed()).as("a readers change re-stores what it covers").isEqualTo(1);
        assertThat(store.document("docs", "share:hr/reviews/salaries.md").orElseThrow().readers()).containsExactly("team:hr");
    }

    @Test
    void thePersonalDataPolicyRunsBeforeAnythingIsStored() throws Exception {
        PiiPolicies policies = new PiiPolicies(new Guardrails(GuardrailsSpec.DEFAULTS, Map.of()));
        write("contact.md", "# Contact\nWrite to anna.schmidt@example.com or call +49 30 1234567 about the order.");
        run(policies.filter(new CollectionSpec.PiiSpec(CollectionSpec.PiiAction.REDACT, null, null)));
        String stored = store.chunks("docs", "share:contact.md").get(0).text();
        assertThat(stored).doesNotContain("anna.schmidt@example.com").doesNotContain("1234567").contains("[EMAIL]");
        assertThat(store.document("docs", "share:contact.md").orElseThrow().pii()).contains("email");

        write("contact.md", "# Contact\nWrite to bert.meier@example.com about the order.");
        run(policies.filter(new CollectionSpec.PiiSpec(CollectionSpec.PiiAction.BLOCK, List.of("email"), null)));
        StoredDocument blocked = store.document("docs", "share:contact.md").orElseThrow();
        assertThat(blocked.status()).isEqualTo("failed");
        assertThat(blocked.reason()).contains("personal-data policy").contains("email");
        assertThat(store.chunks("docs", "share:contact.md")).as("nothing of it stays stored").isEmpty();
    }

    @Test
    void anEmbeddingOutageStopsTheRunKeepsWhatWasIndexedAndTheNextRunCatchesUp() throws Exception {
        write("a.md", "# A\nFirst version.");
        run();
        write("a.md", "# A\nSecond version.");
        embedder.failing = true;
        assertThatThrownBy(this::run).hasMessageContaining("embedding failed").hasMessageContaining("down");
        StoredDocument kept = store.document("docs", "share:a.md").orElseThrow();
        assertThat(kept.status()).as("the indexed version stays").isEqualTo("indexed");
        assertThat(store.chunks("docs", kept.id()).get(0).text()).contains("First version");
        embedder.failing = false;
        assertThat(run().indexed()).as("read again at the next run").isEqualTo(1);
        assertThat(store.chunks("docs", "share:a.md").get(0).text()).contains("Second version");
    }

    @Test
    void changedReadersOrPolicyReachDocumentsAlreadyIndexedWithoutEmbeddingUnchangedTextAgain() throws Exception {
        write("a.md", "# A\nMail anna.schmidt@example.com about it.");
        write("b.md", "# B\nNothing personal here.");
        run();
        int embedded = embedder.texts.get();

        Progress widened = run(new Pipeline.Settings("docs", Set.of("public"), "test-model", 128, 16, PiiFilter.NONE));
        assertThat(widened.indexed()).as("both re-stored with the new readers").isEqualTo(2);
        assertThat(embedder.texts.get()).as("with their stored vectors").isEqualTo(embedded);
        assertThat(store.document("docs", "share:b.md").orElseThrow().readers()).containsExactly("public");

        PiiPolicies policies = new PiiPolicies(new Guardrails(GuardrailsSpec.DEFAULTS, Map.of()));
        CollectionSpec.PiiSpec redact = new CollectionSpec.PiiSpec(CollectionSpec.PiiAction.REDACT, null, null);
        run(new Pipeline.Settings("docs", Set.of("public"), "test-model", 128, 16, policies.filter(redact), redact.toString()));
        assertThat(store.chunks("docs", "share:a.md").get(0).text()).as("the new policy applied to the stored document")
                .doesNotContain("anna.schmidt@example.com").contains("[EMAIL]");
        assertThat(run(new Pipeline.Settings("docs", Set.of("public"), "test-model", 128, 16, policies.filter(redact),
                redact.toString())).seen()).as("and then nothing more to do").isZero();
    }

    @Test
    void aMissingFolderFailsTheRunWithItsPath() {
        FolderSource missing = new FolderSource(folder.resolve("nope"), List.of());
        assertThatThrownBy(() -> missing.run(null)).hasMessageContaining("nope").hasMessageContaining("does not exist");
    }
}
