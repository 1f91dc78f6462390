package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.retrieval.DocumentStore;
import dev.fundament.retrieval.DocumentStore.StoredDocument;
import dev.fundament.retrieval.WordHashEmbedder;
import dev.fundament.retrieval.ingest.Pipeline;
import dev.fundament.retrieval.ingest.PiiFilter;
import dev.fundament.retrieval.ingest.Progress;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceRun;
import dev.fundament.testing.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Helpdesk exports (CSV, JSON, JSON Lines) and mail archives (mbox, EML). */
class RecordsAndMailSourceTest {

    @TempDir
    Path dir;

    private DocumentStore store;

    @BeforeEach
    void setUp() {
        store = new DocumentStore(Databases.h2());
    }

    private Progress run(Source source) throws Exception {
        Pipeline pipeline = new Pipeline(new Pipeline.Settings("helpdesk", Set.of("team:support"), "m", 128, 16, PiiFilter.NONE),
                store, new WordHashEmbedder(), Clock.systemUTC());
        SourceRun run = new SourceRun(pipeline, store, "src", Set.of(), () -> false, Clock.systemUTC());
        source.run(run);
        run.finish(null);
        return run.progress();
    }

    private static RecordsSource records(Path path, String format) {
        return new RecordsSource(path, format, new RecordsSource.Fields("id", "subject", List.of("subject", "body"), "readers"));
    }

    @Test
    void csvTicketsBecomeDocumentsWithTitleTextReadersAndOtherFieldsAsMetadata() throws Exception {
        Path csv = dir.resolve("tickets.csv");
        Files.writeString(csv, """
                id,subject,body,status,readers
                T-1,Spindle noise,"Grinding noise, above 8,000 rpm",open,
                T-2,Salary question,"Question about my band",solved,"team:hr, user:ann"
                ,No id,"This row has no id",open,
                """);
        Progress p = run(records(csv, null));
        assertThat(p.indexed()).isEqualTo(2);
        assertThat(p.failed()).isEqualTo(1);
        StoredDocument t1 = store.document("helpdesk", "src:T-1").orElseThrow();
        assertThat(t1.title()).isEqualTo("Spindle noise");
        assertThat(t1.metadata()).containsEntry("status", "open");
        assertThat(t1.readers()).containsExactly("team:support");
        assertThat(store.chunks("helpdesk", "src:T-1").get(0).text()).contains("body: Grinding noise, above 8,000 rpm");
        assertThat(store.document("helpdesk", "src:T-2").orElseThrow().readers()).containsExactlyInAnyOrder("team:hr", "user:ann");
        assertThat(store.document("helpdesk", "src:record-3").orElseThrow().reason()).contains("has no 'id'");

        Files.writeString(csv, """
                id,subject,body,status,readers
                T-1,Spindle noise,"Grinding noise, above 8,000 rpm",solved,
                """);
        Progress second = run(records(csv, null));
        assertThat(second.deleted()).as("T-2 and the failed record left the export").isEqualTo(2);
        assertThat(store.document("helpdesk", "src:T-1").orElseThrow().metadata()).containsEntry("status", "solved");
    }

    @Test
    void jsonArraysAndJsonLinesAreReadAndBrokenJsonFailsTheRun() throws Exception {
        Path json = dir.resolve("export.json");
        Files.writeString(json, "[{\"id\": 7, \"subject\": \"Laser\", \"body\": \"LS-07 chiller fault\"}, {\"id\": 8, \"subject\": \"Press\", \"body\": \"Crowning\"}]");
        assertThat(run(records(json, null)).indexed()).isEqualTo(2);
        Path lines = dir.resolve("more.jsonl");
        Files.writeString(lines, "{\"id\": \"a\", \"subject\": \"One\", \"body\": \"x\"}\n{\"id\": \"b\", \"subject\": \"Two\", \"body\": \"y\"}\n");
        assertThat(run(records(lines, null)).indexed()).isEqualTo(2);

        Files.writeString(json, "[{\"id\": 9, \"subject\": \"Cut off");
        assertThatThrownBy(() -> run(records(json, null))).hasMessageContaining("export.json").hasMessageContaining("not valid json");
    }

    @Test
    void anMboxIsSplitIntoMessagesKeyedByMessageIdAndEmlFilesAreMessagesToo() throws Exception {
        Path archive = dir.resolve("mail");
        Files.createDirectories(archive);
        Files.writeString(archive.resolve("support.mbox"), """
                From ann@example.com Mon Jan  5 09:00:00 2026
                From: ann@example.com
                Subject: Coolant alarm
                Message-ID: <a1@example.com>

                Alarm E-214 again after the filter change.
                >From what I see the pressure is low.

                From bert@example.com Mon Jan  5 10:00:00 2026
                From: bert@example.com
                Subject: Re: Coolant alarm
                Message-ID: <a2@example.com>

                Bleed the line for 30 seconds.
                """);
        Files.writeString(archive.resolve("single.eml"), """
                From: carla@example.com
                Subject: Training dates
                Message-ID: <c1@example.com>

                The next operator training is in March.
                """);
        Progress p = run(new MailSource(archive));
        assertThat(p.indexed()).isEqualTo(3);
        assertThat(store.document("helpdesk", "src:a1@example.com").orElseThrow().title()).isEqualTo("Coolant alarm");
        assertThat(store.chunks("helpdesk", "src:a1@example.com").get(0).text())
                .contains("From what I see the pressure is low").doesNotContain(">From");
        assertThat(store.document("helpdesk", "src:c1@example.com").orElseThrow().title()).isEqualTo("Training dates");

        Files.delete(archive.resolve("single.eml"));
        assertThat(run(new MailSource(archive)).deleted()).isEqualTo(1);
    }
}
