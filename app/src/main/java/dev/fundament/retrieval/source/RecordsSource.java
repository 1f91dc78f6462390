package dev.fundament.retrieval.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Exports of records, one document per record: a helpdesk's tickets, a CRM's accounts. CSV (with a
 * header row), a JSON array, or JSON Lines, read as a stream record by record. Every run reads the
 * whole export (an export is a snapshot), so records missing from it are deleted; unchanged records
 * are recognised by their content hash and not embedded again.
 *
 * <p>A record's text is its {@code text_fields} as {@code field: value} lines (all fields but the id
 * and readers when none are named), its title the {@code title_field}, its readers the comma-separated
 * {@code readers_field}. From a directory of exports, ids are prefixed with the file's name.
 */
final class RecordsSource implements Source {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    /** Field names. */
    record Fields(String id, String title, List<String> text, String readers) {
    }

    private final Path path;
    private final String format;
    private final Fields fields;

    RecordsSource(Path path, String format, Fields fields) {
        this.path = path;
        this.format = format;
        this.fields = fields;
    }

    @Override
    public void run(SourceContext context) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("export " + path.toAbsolutePath() + " does not exist or cannot be read");
        }
        Set<String> known = context.known().keySet();
        Set<String> seen = new HashSet<>();
        List<Path> files = new ArrayList<>();
        boolean directory = Files.isDirectory(path);
        if (directory) {
            try (Stream<Path> list = Files.list(path)) {
                list.filter(p -> format(p) != null).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        for (Path file : files) {
            String prefix = directory ? file.getFileName() + "#" : "";
            String fmt = format(file);
            if (fmt == null) {
                throw new IOException("cannot tell the format of " + file + "; set 'format' to csv, json or jsonl");
            }
            int n = 0;
            try (Records records = open(file, fmt)) {
                while (records.hasNext() && !context.stopping()) {
                    n++;
                    JsonNode record = records.next();
                    String id = text(record.get(fields.id()));
                    if (id == null || id.isBlank()) {
                        seen.add(prefix + "record-" + n);
                        context.failed(prefix + "record-" + n, file.toUri() + "#" + n,
                                "record " + n + " of " + file.getFileName() + " has no '" + fields.id() + "' field");
                        continue;
                    }
                    seen.add(prefix + id);
                    context.upsert(document(prefix + id, file, record));
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException(file.getFileName() + " is not valid " + fmt + " after record " + n + ": " + e.getMessage(), e);
            }
        }
        if (context.stopping()) {
            return;
        }
        for (String id : known) {
            if (!seen.contains(id)) {
                context.delete(id);
            }
        }
    }

    private SourceDocument document(String id, Path file, JsonNode record) {
        StringBuilder text = new StringBuilder();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("file", file.getFileName().toString());
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String value = text(e.getValue());
            boolean indexed = fields.text().isEmpty() ? !name.equals(fields.id()) && !name.equals(fields.readers())
                    : fields.text().contains(name);
            if (value != null && !value.isBlank() && indexed) {
                text.append(name).append(": ").append(value).append("\n\n");
            } else if (value != null && value.length() <= 100 && !name.equals(fields.readers())) {
                metadata.put(name, value);
            }
        }
        Set<String> readers = new java.util.LinkedHashSet<>();
        String r = fields.readers() == null ? null : text(record.get(fields.readers()));
        if (r != null) {
            for (String entry : r.split(",")) {
                if (!entry.isBlank()) {
                    readers.add(entry.strip());
                }
            }
        }
        String title = fields.title() == null ? null : text(record.get(fields.title()));
        return new SourceDocument(id, file.toUri() + "#" + id, title, null, null, readers, metadata,
                new Content.Text(text.toString(), "text/plain"));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private String format(Path file) {
        if (format != null) {
            return format;
        }
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".csv") ? "csv" : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "jsonl"
                : name.endsWith(".json") ? "json" : null;
    }

    /** Records read one at a time. */
    private interface Records extends Iterator<JsonNode>, AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private static Records open(Path file, String format) throws IOException {
        switch (format) {
            case "csv" -> {
                MappingIterator<JsonNode> it = CSV.readerFor(JsonNode.class)
                        .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile());
                return iterator(it);
            }
            case "jsonl" -> {
                return iterator(JSON.readerFor(JsonNode.class).readValues(file.toFile()));
            }
            default -> {
                JsonParser parser = JSON.createParser(file.toFile());
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    parser.close();
                    throw new IOException("a JSON export must be an array of objects");
                }
                return new Records() {
                    private JsonToken next = parser.nextToken();

                    @Override
                    public boolean hasNext() {
                        if (next == JsonToken.START_OBJECT) {
                            return true;
                        }
                        if (next != JsonToken.END_ARRAY) { // a cut or mixed export must not read as "every later record is gone"
                            throw new java.io.UncheckedIOException(new IOException("expected an object or the end of the array, found "
                                    + next + " at line " + parser.currentLocation().getLineNr()));
                        }
                        return false;
                    }

                    @Override
                    public JsonNode next() {
                        try {
                            JsonNode node = JSON.readTree(parser);
                            next = parser.nextToken();
                            return node;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        parser.close();
                    }
                };
            }
        }
    }

    private static Records iterator(MappingIterator<JsonNode> it) {
        return new Records() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public JsonNode next() {
                return it.next();
            }

            @Override
            public void close() throws IOException {
                it.close();
            }
        };
    }
}
