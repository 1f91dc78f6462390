package dev.fundament.retrieval.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
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
 * <p>A record becomes a document as a database row does ({@link RowDocument}): its {@code text_fields}
 * as {@code field: value} paragraphs, its title the {@code title_field}, its readers the
 * {@code readers_field}, short other fields as metadata. From a directory of exports, ids are
 * prefixed with the file's name.
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
    private final RowDocument rows;

    RecordsSource(Path path, String format, Fields fields) {
        this.path = path;
        this.format = format;
        this.fields = fields;
        this.rows = new RowDocument(fields.id(), fields.title(), fields.text(), fields.readers(), Set.of());
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
                    Map<String, Object> row = row(records.next());
                    String id = rows.id(row);
                    if (id == null) {
                        seen.add(prefix + "record-" + n);
                        context.failed(prefix + "record-" + n, file.toUri() + "#" + n,
                                "record " + n + " of " + file.getFileName() + " has no '" + fields.id() + "' field");
                        continue;
                    }
                    seen.add(prefix + id);
                    context.upsert(rows.document(prefix + id, file.toUri() + "#" + id,
                            Map.of("file", file.getFileName().toString()), row, null, null));
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException(file.getFileName() + " is not valid " + fmt + " after record " + n + ": " + e.getMessage(), e);
            }
        }
        if (context.stopping()) {
            return;
        }
        known.stream().filter(id -> !seen.contains(id)).forEach(context::delete);
    }

    /** A record as a row: values as text, arrays as lists (a readers list may be one), objects as JSON. */
    private static Map<String, Object> row(JsonNode record) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            row.put(e.getKey(), value(e.getValue()));
        }
        return row;
    }

    private static Object value(JsonNode node) {
        if (node.isArray()) {
            List<Object> values = new ArrayList<>();
            node.forEach(v -> values.add(value(v)));
            return values;
        }
        return text(node);
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
