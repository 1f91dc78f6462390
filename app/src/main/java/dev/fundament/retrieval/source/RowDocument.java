package dev.fundament.retrieval.source;

import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes one document of one row: a database row (the JDBC and the change-capture connector) or a
 * record of an export (the records connector), so a row reads the same whichever way it arrived.
 *
 * <ul>
 *   <li>text: each of {@code text_fields} that has a value as a {@code name: value} paragraph (blank
 *       line between fields), in the order configured; without {@code text_fields} every column but
 *       the id, readers, cursor and soft-delete columns, in the table's order. Binary columns are
 *       never text.</li>
 *   <li>title: the {@code title_field}'s value, or none.</li>
 *   <li>readers: the {@code readers_field}'s comma-separated entries ({@code team:hr},
 *       {@code group:works-council}, {@code user:ann}, {@code public}); none when it is empty, so
 *       the source's or collection's default applies.</li>
 *   <li>metadata: the origin ({@code table} when the source names one, an export's {@code file}), {@code id} (the row's id value), and
 *       every other column that is not text, not the readers and at most 100 characters long, so it
 *       can filter searches.</li>
 * </ul>
 * Columns are matched without regard to case: H2 and Oracle report unquoted names in upper case.
 */
final class RowDocument {

    private static final int METADATA_VALUE_LIMIT = 100;

    private final String idField;
    private final String titleField;
    private final List<String> textFields;
    private final String readersField;
    private final Set<String> notText;

    /** @param notText further columns that are never text (cursor, soft-delete flag), lower case */
    RowDocument(SourceSpec spec, Set<String> notText) {
        this(spec.idField(), spec.titleField(), spec.textFields(), spec.readersField(), notText);
    }

    RowDocument(String idField, String titleField, List<String> textFields, String readersField, Set<String> notText) {
        this.idField = idField;
        this.titleField = titleField;
        this.textFields = textFields;
        this.readersField = readersField;
        Set<String> hidden = new LinkedHashSet<>();
        hidden.add(idField.toLowerCase(Locale.ROOT));
        if (readersField != null) {
            hidden.add(readersField.toLowerCase(Locale.ROOT));
        }
        notText.forEach(c -> hidden.add(c.toLowerCase(Locale.ROOT)));
        this.notText = Set.copyOf(hidden);
    }

    /** @return the row's id as text, or {@code null} when the id column is missing or empty */
    String id(Map<String, Object> row) {
        String id = render(value(row, idField));
        return id == null || id.isBlank() ? null : id;
    }

    /**
     * @param documentId the document's id (the row's id, prefixed for some tables)
     * @param origin     where the row comes from, first in the metadata ({@code table}, or an export's {@code file})
     */
    SourceDocument document(String documentId, String uri, Map<String, String> origin, Map<String, Object> row,
                            String version, Instant modifiedAt) {
        StringBuilder text = new StringBuilder();
        Set<String> textColumns = new LinkedHashSet<>();
        if (textFields.isEmpty()) {
            row.forEach((column, value) -> {
                if (!notText.contains(column.toLowerCase(Locale.ROOT))) {
                    paragraph(text, column, render(value));
                    textColumns.add(column.toLowerCase(Locale.ROOT));
                }
            });
        } else {
            for (String field : textFields) {
                paragraph(text, field, render(value(row, field)));
                textColumns.add(field.toLowerCase(Locale.ROOT));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>(origin);
        metadata.put("id", id(row));
        row.forEach((column, value) -> {
            String lower = column.toLowerCase(Locale.ROOT);
            String v = render(value);
            if (v != null && v.length() <= METADATA_VALUE_LIMIT && !textColumns.contains(lower)
                    && !lower.equals(idField.toLowerCase(Locale.ROOT))
                    && (readersField == null || !lower.equals(readersField.toLowerCase(Locale.ROOT)))) {
                metadata.putIfAbsent(column, v);
            }
        });
        String title = titleField == null ? null : render(value(row, titleField));
        return new SourceDocument(documentId, uri, title, modifiedAt, version, readers(row), metadata,
                new Content.Text(text.toString(), "text/plain"));
    }

    private Set<String> readers(Map<String, Object> row) {
        String value = readersField == null ? null : render(value(row, readersField));
        if (value == null) {
            return Set.of();
        }
        Set<String> readers = new LinkedHashSet<>();
        for (String entry : value.split(",")) {
            if (!entry.isBlank()) {
                readers.add(entry.strip());
            }
        }
        return readers;
    }

    private static void paragraph(StringBuilder text, String name, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (!text.isEmpty()) {
            text.append("\n\n");
        }
        text.append(name).append(": ").append(value);
    }

    /** The column's value, matched exactly first and then without regard to case. */
    static Object value(Map<String, Object> row, String column) {
        if (column == null) {
            return null;
        }
        if (row.containsKey(column)) {
            return row.get(column);
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * A column value as text: numbers without exponent, dates and times in ISO 8601, arrays joined by
     * commas, binary as nothing (it is not text and has no place in a title or a filter).
     */
    static String render(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case BigDecimal d -> d.toPlainString();
            case java.sql.Timestamp t -> t.toLocalDateTime().toString();
            case java.sql.Date d -> d.toLocalDate().toString();
            case java.sql.Time t -> t.toLocalTime().toString();
            case java.util.Date d -> d.toInstant().toString();
            case TemporalAccessor t -> t.toString();
            case byte[] ignored -> null;
            case ByteBuffer ignored -> null;
            case Object[] array -> join(Arrays.asList(array));
            case Collection<?> list -> join(list);
            default -> value.toString();
        };
    }

    private static String join(Collection<?> values) {
        return values.stream().map(RowDocument::render).filter(v -> v != null).collect(Collectors.joining(", "));
    }
}
