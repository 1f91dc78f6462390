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
    };

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
