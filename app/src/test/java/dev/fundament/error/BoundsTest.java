package dev.fundament.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundsTest {

    /**
     * An unknown path is repeated in its 404 message, and that message is logged: a path carrying an
     * escape sequence or a line break could colour or forge log lines, and a long one would fill them.
     */
    @Test
    void aCallersValueIsRepeatedWithoutControlCharactersAndShortened() {
        assertThat(Bounds.quoted("/v1/\u001b[31mred\rfake line")).isEqualTo("/v1/?[31mred?fake line");
        assertThat(Bounds.quoted("x".repeat(5_000))).hasSize(101).endsWith("…");
        assertThat(Bounds.quoted("/v1/models/grüße")).isEqualTo("/v1/models/grüße");
    }
}
