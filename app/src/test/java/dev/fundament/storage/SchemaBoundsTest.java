package dev.fundament.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.error.Bounds;
import dev.fundament.testing.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The schema and the validation agree: every column a bounded caller-supplied value is written to
 * is at least as wide as {@link Bounds} admits. A 201-character model name once passed the edge and
 * then failed every write to {@code ledger.model VARCHAR(200)} forever; if a migration narrows a
 * column, or a bound grows, this test names the column.
 */
class SchemaBoundsTest {

    /** table, column, the most characters validation lets reach it. */
    private static final Object[][] COLUMNS = {
        {"LEDGER", "MODEL", Bounds.MODEL},
        {"LEDGER", "REQUEST_ID", Bounds.REQUEST_ID},
        {"LEDGER", "SUBJECT", Math.max(Bounds.SUBJECT, Bounds.KEY_NAME)},
        {"LEDGER", "USE_CASE", Bounds.TAG},
        {"AUDIT_RECORDS", "ROUTE", Bounds.MODEL},
        {"AUDIT_RECORDS", "REQUEST_ID", Bounds.REQUEST_ID},
        {"AUDIT_RECORDS", "SUBJECT", Math.max(Bounds.SUBJECT, Bounds.KEY_NAME)},
        {"AUDIT_RECORDS", "TARGET", Math.max(Bounds.ADMIN_PATH_ID, Bounds.COLLECTION)},
        {"AUDIT_PAYLOADS", "SUBJECT", Bounds.SUBJECT},
        {"AUDIT_SUBJECT_KEYS", "SUBJECT", Bounds.SUBJECT},
        {"API_KEYS", "NAME", Bounds.KEY_NAME},
        {"API_KEYS", "SUBJECT", Math.max(Bounds.SUBJECT, Bounds.KEY_NAME)},
        {"API_KEYS", "METADATA", Bounds.KEY_METADATA_JSON},
        {"API_KEYS", "ALLOWED_MODELS", Bounds.ALLOWED_MODELS_JOINED},
        {"RATE_LIMITS", "SUBJECT", Bounds.ADMIN_PATH_ID},
        {"ROUTE_WEIGHTS", "MODEL", Bounds.MODEL},
        {"SHADOW_RESULTS", "REQUEST_ID", Bounds.REQUEST_ID},
        {"SHADOW_RESULTS", "MODEL", Bounds.MODEL},
        {"RAG_COLLECTIONS", "NAME", Bounds.COLLECTION},
        {"RAG_DOCUMENTS", "COLLECTION", Bounds.COLLECTION},
        {"RAG_DOCUMENTS", "ID", Bounds.DOCUMENT_ID},
        {"RAG_DOCUMENTS", "SOURCE", Bounds.DOCUMENT_SOURCE},
        {"RAG_DOCUMENTS", "TITLE", Bounds.DOCUMENT_TITLE},
        {"RAG_DOCUMENTS", "URI", Bounds.DOCUMENT_URI},
        {"RAG_CHUNKS", "DOCUMENT", Bounds.DOCUMENT_ID},
        {"RAG_CHANGES", "DOCUMENT", Bounds.DOCUMENT_ID},
        // a pushed document's metadata as stored JSON; its id is "<source>:<id>"
        {"RAG_DOCUMENTS", "METADATA", Bounds.DOCUMENT_METADATA_JSON},
        {"RAG_DOCUMENTS", "ID", Bounds.DOCUMENT_SOURCE + 1 + Bounds.DOCUMENT_ID},
        // pushed readers: at most 100 entries of user:<subject>, every character escaped twice at worst
        {"RAG_DOCUMENTS", "READERS", 2 + 100 * (2 * (Bounds.SUBJECT + 6) + 3)},
        {"LEDGER", "UPSTREAM_MODEL", Bounds.MODEL},
        {"AUDIT_RECORDS", "UPSTREAM_MODEL", Bounds.MODEL},
        {"LEDGER", "TEAM", Bounds.TEAM},
        {"AUDIT_RECORDS", "TEAM", Bounds.TEAM},
        {"API_KEYS", "TEAM", Bounds.TEAM},
        {"RATE_LIMITS", "TEAM", Bounds.TEAM},
        {"LEDGER", "PROVIDER", Bounds.PROVIDER},
        {"AUDIT_RECORDS", "PROVIDER", Bounds.PROVIDER},
    };

    /**
     * Columns of the tables a request or an admin call writes to that take no caller-supplied text,
     * and why. With {@link #COLUMNS} they cover every VARCHAR column: a new column fails
     * {@link #everyColumnIsClassified} until someone decides which it is.
     */
    private static final Object[][] SERVER_MADE = {
        {"API_KEYS", "ID", "a UUID"}, {"API_KEYS", "PREFIX", "made with the key"}, {"API_KEYS", "KEY_HASH", "SHA-256 hex"},
        {"API_KEYS", "KIND", "user or service"}, {"API_KEYS", "ROLES", "role names, at most all five"},
        {"API_KEYS", "REPLACED_BY", "a UUID"},
        {"LEDGER", "ID", "a UUID"}, {"LEDGER", "KEY_ID", "a UUID"}, {"LEDGER", "KEY_PREFIX", "made with the key"},
        {"LEDGER", "OPERATION", "chat or embeddings"}, {"LEDGER", "CURRENCY", "ISO 4217 from the pricing"},
        {"LEDGER", "ERROR_CODE", "an ErrorKind code"}, {"LEDGER", "CONFIG_HASH", "SHA-256 hex"},
        {"AUDIT_RECORDS", "INSTANCE", "the instance id"}, {"AUDIT_RECORDS", "ID", "a UUID"},
        {"AUDIT_RECORDS", "KIND", "request or admin"}, {"AUDIT_RECORDS", "KEY_PREFIX", "made with the key"},
        {"AUDIT_RECORDS", "CONFIG_HASH", "SHA-256 hex"}, {"AUDIT_RECORDS", "DECISIONS", "Fundament's own decisions, as JSON"},
        {"AUDIT_RECORDS", "REQUEST_SHA256", "SHA-256 hex"}, {"AUDIT_RECORDS", "RESPONSE_SHA256", "SHA-256 hex"},
        {"AUDIT_RECORDS", "ACTION", "an admin action name"}, {"AUDIT_RECORDS", "DETAILS", "an admin action's own fields, as JSON"},
        {"AUDIT_RECORDS", "PAYLOAD_SHA256", "SHA-256 hex"}, {"AUDIT_RECORDS", "PREV_HASH", "SHA-256 hex"},
        {"AUDIT_RECORDS", "HASH", "SHA-256 hex"},
        {"RAG_DOCUMENTS", "CONTENT_SHA256", "SHA-256 hex"}, {"RAG_DOCUMENTS", "STATUS", "indexed, failed, ..."},
        {"RAG_DOCUMENTS", "URI", "cut to the column on write"}, {"RAG_DOCUMENTS", "TITLE", "cut to the column on write"},
        {"RAG_DOCUMENTS", "VERSION", "cut to the column on write"}, {"RAG_DOCUMENTS", "REASON", "cut to the column on write"},
        {"RAG_DOCUMENTS", "PII", "cut to the column on write"},
    };

    /** The tables whose every VARCHAR column must be classified. */
    private static final List<String> CLASSIFIED = List.of("API_KEYS", "LEDGER", "AUDIT_RECORDS", "RAG_DOCUMENTS");

    /**
     * A bound kept in a hand-made list is only as good as the list: rag_documents.metadata, the
     * ledger's upstream_model and team were once missing from it. Every VARCHAR column of the tables a
     * request or an admin call writes to is either bounded above or named as taking no caller text.
     */
    @Test
    void everyColumnIsClassified() throws Exception {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (Object[] c : COLUMNS) {
            known.add(c[0] + "." + c[1]);
        }
        for (Object[] c : SERVER_MADE) {
            known.add(c[0] + "." + c[1]);
        }
        List<String> unclassified = new ArrayList<>();
        java.util.Set<String> seenTables = new java.util.TreeSet<>();
        try (Connection c = Databases.h2().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME,"
                + " COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE DATA_TYPE LIKE '%CHARACTER%' ORDER BY 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String column = rs.getString(1) + "." + rs.getString(2);
                if (CLASSIFIED.contains(rs.getString(1))) {
                    seenTables.add(rs.getString(1));
                    if (!known.contains(column)) {
                        unclassified.add(column);
                    }
                }
            }
        }
        assertThat(seenTables).as("the classified tables exist").containsExactlyInAnyOrderElementsOf(CLASSIFIED);
        assertThat(unclassified).as("VARCHAR columns neither bounded in COLUMNS nor listed in SERVER_MADE").isEmpty();
    }

    @Test
    void everyColumnTakesWhatValidationAdmits() throws Exception {
        DataSource db = Databases.h2();
        List<String> narrow = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT CHARACTER_MAXIMUM_LENGTH"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            for (Object[] column : COLUMNS) {
                ps.setString(1, (String) column[0]);
                ps.setString(2, (String) column[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("column %s.%s exists", column[0], column[1]).isTrue();
                    long width = rs.getLong(1);
                    if (width < (int) column[2]) {
                        narrow.add(column[0] + "." + column[1] + " is VARCHAR(" + width + ") but validation admits " + column[2]);
                    }
                }
            }
        }
        assertThat(narrow).as("columns narrower than their bound").isEmpty();
    }
}
