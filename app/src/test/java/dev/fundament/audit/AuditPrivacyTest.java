package dev.fundament.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.config.AuditSpec;
import dev.fundament.testing.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept payloads: encrypted per data subject, readable on access, gone on erasure or expiry, chain intact throughout. */
class AuditPrivacyTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-05T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void accessErasureAndRetention() throws Exception {
        DataSource db = Databases.h2();
        MovableClock clock = new MovableClock();
        AuditTrail trail = new AuditTrail(new AuditSpec(true, 30, 200, null, null, null, null), null, null, new JdbcAuditStore(db), dir,
                clock);
        try {
            trail.append(AuditTamperTest.request("r1", "maria", 10), "user: Mein Gehalt ist 5.400 EUR\nassistant: Danke.")
                    .get(10, TimeUnit.SECONDS);
            trail.append(AuditTamperTest.request("r2", "jonas", 10), "user: Hallo\nassistant: Hallo Jonas.").get(10, TimeUnit.SECONDS);

            var maria = trail.subject("maria");
            assertThat(maria).singleElement().satisfies(o -> {
                assertThat(o.payloadState()).isEqualTo("kept");
                assertThat(o.payload()).contains("5.400 EUR");
                assertThat(o.record().payloadSha256()).isEqualTo(AuditChain.sha256(o.payload()));
            });
            String stored = new JdbcAuditStore(db).payload(maria.getFirst().record().id()).orElseThrow();
            assertThat(stored).doesNotContain("Gehalt").doesNotContain("5.400");
            assertThat(trail.subject("nobody-at-all")).isEmpty();

            assertThat(trail.erase("maria")).isTrue();
            assertThat(trail.subject("maria")).singleElement().satisfies(o -> {
                assertThat(o.payloadState()).isEqualTo("erased");
                assertThat(o.payload()).isNull();
            });
            assertThat(trail.subject("jonas").getFirst().payloadState()).isEqualTo("kept");
            trail.checkpoint();
            assertThat(trail.verify().ok()).as("erasure leaves the chain intact").isTrue();

            clock.now = clock.now.plus(Duration.ofDays(31));
            trail.retain();
            assertThat(trail.subject("jonas").getFirst().payloadState()).isEqualTo("expired");
            assertThat(trail.verify().ok()).isTrue();

            clock.now = clock.now.plus(Duration.ofDays(200));
            trail.append(AuditTamperTest.request("r3", "jonas", 10), null).get(10, TimeUnit.SECONDS);
            trail.retain();
            assertThat(trail.subject("jonas")).extracting(o -> o.record().requestId()).containsExactly("r3");
            AuditVerifier.Report report = trail.verify();
            assertThat(report.ok()).as("what retention leaves still verifies from its checkpoint").isTrue();
            assertThat(report.chains().getFirst().records()).isEqualTo(1);

            // Everything is past retention and signed: the newest record stays, or the witnessed
            // checkpoint outside the database would find the chain emptied.
            clock.now = clock.now.plus(Duration.ofDays(1));
            trail.checkpoint();
            clock.now = clock.now.plus(Duration.ofDays(300));
            trail.retain();
            report = trail.verify();
            assertThat(report.ok()).as("retention never empties a chain: %s", report).isTrue();
            assertThat(report.chains().getFirst().records()).isEqualTo(1);
            assertThat(report.chains().getFirst().lastSeq()).isEqualTo(3);
        } finally {
            trail.stop(null, null);
        }
    }
}
