package dev.fundament.retrieval;

import dev.fundament.config.CollectionSpec;
import dev.fundament.config.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The collection a first run offers: documents of Nordwerk Maschinenbau, a fictional machinery maker
 * (product catalogue, price list, service terms, an HR-only compensation policy, support tickets),
 * copied into the data directory on first start and read by a folder and a records source, so a
 * newcomer can search and ask questions with nothing installed, and can drop their own files next
 * to them. Offered only when Fundament runs on its built-in defaults (no fundament.yaml).
 */
final class SampleCollection {

    static final String NAME = "sample";
    static final String DEFAULTS_SOURCE = "built-in defaults";
    private static final List<String> FILES = List.of("docs/product-catalogue.md", "docs/price-list-2026.md",
            "docs/service-and-warranty.md", "docs/hr/.readers", "docs/hr/compensation-policy.md", "tickets.jsonl");

    private SampleCollection() {
    }

    /** Copies the sample files into {@code <data>/sample} unless they are there, and describes the collection. */
    static CollectionSpec install(Path dataDir) {
        Path root = dataDir.resolve("sample").toAbsolutePath();
        if (!Files.exists(root)) {
            try {
                for (String file : FILES) {
                    Path target = root.resolve(file);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = SampleCollection.class.getResourceAsStream("/sample/" + file)) {
                        if (in == null) {
                            throw new IOException("missing resource /sample/" + file);
                        }
                        Files.copy(in, target);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install the sample collection in " + root, e);
            }
        }
        SourceSpec docs = new SourceSpec("docs", SourceSpec.SourceType.FOLDER, root.resolve("docs").toString(), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(30), null);
        SourceSpec tickets = new SourceSpec("tickets", SourceSpec.SourceType.RECORDS, root.resolve("tickets.jsonl").toString(),
                null, null, null, null, null, null, null, null, "id", "subject", List.of("subject", "product", "body", "resolution"),
                null, null, null, null, java.time.Duration.ofSeconds(30), null);
        return new CollectionSpec("Nordwerk Maschinenbau, a fictional machinery maker: catalogue, prices, service terms, "
                + "HR policy (HR only), support tickets", "default", List.of("public"), null, null, null, null, null, null, null,
                List.of(docs, tickets));
    }
}
