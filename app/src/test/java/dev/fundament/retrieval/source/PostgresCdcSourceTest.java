package dev.fundament.retrieval.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fundament.config.SourceSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Change capture without a server: names, the cursor's form, and the failure when the database cannot be reached. */
class PostgresCdcSourceTest {

    @Test
    void slotNamesAreValidDistinctAndAtMost63Characters() {
        String plain = PostgresCdcSource.slotName("hr", "erp");
        assertThat(plain).matches("fundament_hr_erp_[0-9a-f]{8}");
        assertThat(PostgresCdcSource.slotName("hr", "erp-db")).as("'-' is replaced, the hash tells them apart")
                .startsWith("fundament_hr_erp_db_")
                .isNotEqualTo(PostgresCdcSource.slotName("hr", "erp_db"));
        String longName = PostgresCdcSource.slotName("a-collection-with-a-very-long-name-indeed", "and.a.long.source.name.too");
        assertThat(longName).hasSize(63).matches("[a-z0-9_]+");
        assertThat(longName).isNotEqualTo(
                PostgresCdcSource.slotName("a-collection-with-a-very-long-name-indeed", "and.a.long.source.name.two"));
        assertThat(PostgresCdcSource.slotName("hr", "erp")).as("stable across calls").isEqualTo(plain);
    }

    @Test
    void offsetsRoundTripThroughTheCursorAndOtherCursorsAreRefused() {
        Map<ByteBuffer, ByteBuffer> offsets = Map.of(bytes("[\"slot\",{\"server\":\"slot\"}]"), bytes("{\"lsn\":24023928}"));
        String cursor = CursorOffsetStore.encode(offsets);

        assertThat(cursor).isEqualTo("{\"offsets\":{\"[\\\"slot\\\",{\\\"server\\\":\\\"slot\\\"}]\":\"{\\\"lsn\\\":24023928}\"}}");
        assertThat(CursorOffsetStore.decode(cursor)).isEqualTo(offsets);
        assertThat(CursorOffsetStore.decode(null)).isEmpty();
        assertThatThrownBy(() -> CursorOffsetStore.decode("{\"rows\":\"2026-03-01T09:00\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the saved cursor is not a change-capture position: {\"rows\":\"2026-03-01T09:00\"}");
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unreachableDatabaseFailsTheRunNamingTheUrlButNotThePassword() throws Exception {
        SourceSpec spec = new SourceSpec("erp", SourceSpec.SourceType.POSTGRES_CDC, null, null, null,
                "jdbc:postgresql://127.0.0.1:1/erp", "reader", "env:ERP_PASSWORD", null, null, List.of("public.orders"),
                "id", null, List.of("note"), null, null, null, null, null, null);
        PostgresCdcSource source = new PostgresCdcSource(spec, "s3cret-pw", "fundament_test_unreachable");
        RecordingContext context = new RecordingContext();

        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try {
                source.run(context);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class)
                .cause()
                .hasMessageStartingWith("change capture from jdbc:postgresql://127.0.0.1:1/erp (slot fundament_test_unreachable): ")
                .hasMessageContaining("Connection to 127.0.0.1:1 refused")
                .hasMessageNotContaining("s3cret-pw");
        assertThat(context.log()).isEmpty();
    }
}
