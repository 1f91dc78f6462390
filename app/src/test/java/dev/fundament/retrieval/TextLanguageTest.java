package dev.fundament.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLanguageTest {

    @Test
    void proseIsToldByItsFunctionWords() {
        assertThat(TextLanguage.of("The spindle motor is water-cooled and the cooling circuit needs a check every 2,000 hours."))
                .isEqualTo("en");
        assertThat(TextLanguage.of("Die Spindel ist wassergekühlt, und der Kühlkreislauf wird alle 2.000 Stunden geprüft."))
                .isEqualTo("de");
    }

    @Test
    void shortOrMixedTextIsUndecidedAndSoAnalysedBothWays() {
        assertThat(TextLanguage.of("NW-500 | 500-6000 | 389,000")).isNull();
        assertThat(TextLanguage.of("Ticket T-1041: E-214")).isNull();
        assertThat(TextLanguage.of("The Ersatzteile for the Presse und die Dichtungen der Maschine are in the Lager."))
                .as("as much German as English").isNull();
    }
}
