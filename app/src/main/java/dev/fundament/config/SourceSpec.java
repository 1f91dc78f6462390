package dev.fundament.config;

import java.time.Duration;
import java.util.List;

/**
 * One source of a collection's documents. Which keys apply depends on {@code type}:
 *
 * <ul>
 *   <li>{@code folder}: {@code path} (a directory or mounted share, read recursively), {@code include}
 *       (file name globs; default every format Tika reads)</li>
 *   <li>{@code mail}: {@code path} (an mbox file, or a directory of mbox and {@code .eml} files)</li>
 *   <li>{@code records}: {@code path} (a CSV, JSON array or JSON Lines export, or a directory of them),
 *       {@code format} ({@code csv}, {@code json}, {@code jsonl}; default by file extension)</li>
 *   <li>{@code jdbc}: {@code url}, {@code username}, {@code password}, and {@code table} or
 *       {@code query}; {@code cursor_field} (a column that grows with every change, such as
 *       {@code updated_at}) makes runs incremental; deletions through {@code deleted_field} (a
 *       soft-delete flag) or {@code tombstone_table} (ids of deleted rows)</li>
 *   <li>{@code postgres_cdc}: {@code url}, {@code username}, {@code password}, {@code tables}
 *       ({@code schema.table}); inserts, updates and deletes arrive as they commit (Debezium, logical
 *       decoding; the server needs {@code wal_level=logical})</li>
 *   <li>{@code push}: documents sent to {@code POST /v1/collections/{name}/documents}</li>
 * </ul>
 * For rows and records, {@code id_field}, {@code title_field}, {@code text_fields} and
 * {@code readers_field} name the columns or fields that make a document.
 *
 * @param name     unique within the collection; part of every document's id
 * @param interval how often a polling source runs; default 5m
 * @param readers  who may read this source's documents; default the collection's readers
 */
public record SourceSpec(@Required String name, @Required SourceType type, String path, List<String> include,
                         String format, String url, String username, String password, String table, String query,
                         List<String> tables, String idField, String titleField, List<String> textFields,
                         String readersField, String cursorField, String deletedField, String tombstoneTable,
                         Duration interval, List<String> readers) {

    public SourceSpec {
        include = include != null ? include : List.of();
        tables = tables != null ? tables : List.of();
        idField = idField != null ? idField : "id";
        textFields = textFields != null ? textFields : List.of();
        interval = interval != null ? interval : Duration.ofMinutes(5);
        readers = readers != null ? readers : List.of();
    }

    /** The kinds of connector. */
    public enum SourceType implements WireName {
        FOLDER("folder"), MAIL("mail"), RECORDS("records"), JDBC("jdbc"), POSTGRES_CDC("postgres_cdc"), PUSH("push");

        private final String wire;

        SourceType(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }
}
