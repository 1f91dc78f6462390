package dev.fundament.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.AuditSpec;
import dev.fundament.testing.Columns;
import dev.fundament.testing.Databases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every text field of an audit record against its column in the migrated schema. The trail clips
 * nothing (a clipped field would be a different record than the one hashed): each field the caller
 * can influence is bounded before it is chained (the edge's request validation) or, should a longer
 * value get through, a sealed {@code record_rejected} stand-in takes the record's place. The fields the
 * trail makes itself (instance, id, hashes) always fit. This test writes, for every text column, a
 * record one character too long and one exactly as long as the column.
 */
class AuditColumnsTest {

    /** Filled in by the trail, never by a caller. */
    private static final Set<String> MADE_BY_THE_TRAIL = Set.of("instance", "id", "payloadSha256", "payload", "prevHash", "hash");

    @TempDir
    Path dir;

    @Test
    void everyTextFieldFitsItsColumnOrTheRecordIsSealedAsRejected() throws Exception {
        DataSource db = Databases.h2();
        Map<String, Integer> widths = Columns.widths(db, "audit_records");
        AuditTrail trail = new AuditTrail(AuditSpec.DEFAULTS, null, null, new JdbcAuditStore(db), dir, Clock.systemUTC(),
                new SimpleMeterRegistry());
        try {
            int refused = 0;
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (RecordComponent c : AuditRecord.class.getRecordComponents()) {
                if (c.getType() != String.class || MADE_BY_THE_TRAIL.contains(c.getName())) {
                    continue;
                }
                String column = Columns.column(c);
                assertThat(widths).as("audit_records has a text column for AuditRecord.%s", c.getName()).containsKey(column);
                int width = widths.get(column);
                acks.add(trail.append(Columns.with(AuditTamperTest.request("too-long", "ann", 1), c.getName(),
                        "x".repeat(width + 1)), null));
                acks.add(trail.append(Columns.with(AuditTamperTest.request("fits", "ann", 1), c.getName(), "y".repeat(width)),
                        null));
                refused++;
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            AuditVerifier.Report report = trail.verify();
            assertThat(report.ok()).as("%s", report).isTrue();
            assertThat(report.chains().getFirst().records()).isEqualTo(2L * refused);
            assertThat(report.chains().getFirst().rejected()).as("one stand-in per too-long field").isEqualTo(refused);
            assertThat(Files.readAllLines(dir.resolve("audit-journal").resolve("rejected.jsonl"))).hasSize(refused);

            String instance = new JdbcAuditStore(db).instances().getFirst();
            assertThat(instance.length()).isLessThanOrEqualTo(widths.get("instance"));
        } finally {
            trail.stop(null, null);
        }
    }
}
