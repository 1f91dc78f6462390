package dev.fundament.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.inference.ChatRequest;
import dev.fundament.inference.Message;
import dev.fundament.inference.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The extractive answerer: it quotes passages, with their numbers, and never writes anything else. */
class ExtractiveChatProviderTest {

    private static String answer(String system, String question) {
        return ExtractiveChatProvider.answer(new ChatRequest("local/extractive", List.of(Message.text(Role.SYSTEM, system),
                Message.text(Role.USER, question)), false, false, List.of(), null, null, null, null, null, null, List.of(), null, Map.of()));
    }

    private static final String PASSAGES = """
            Answer from the documents.

            Documents:
            [1] E-214 coolant pressure alarm
            subject: E-214 coolant pressure alarm
            body: The machine stops every few minutes.
            resolution: Open the bleed valve for 30 seconds, then reset the alarm with RESET + F4.

            [2] Price List 2026
            Product | List price (EUR)
            NW-500 Fibre Laser Cutter | 389,000
            NW-720 Press Brake | 154,500
            """;

    @Test
    void theBestSentencesAreQuotedWithTheirPassageNumbersAndRecordLabelsDropped() {
        String a = answer(PASSAGES, "How do I reset the E-214 alarm?");
        assertThat(a).contains("Open the bleed valve for 30 seconds, then reset the alarm with RESET + F4. [1]")
                .doesNotContain("subject:").doesNotContain("resolution:");
    }

    @Test
    void aTableRowIsQuotedWithItsColumnNames() {
        assertThat(answer(PASSAGES, "What does the NW-720 press brake cost?"))
                .contains("Product: NW-720 Press Brake, List price (EUR): 154,500. [2]").doesNotContain("389,000");
    }

    @Test
    void aQuestionTheDocumentsDoNotAnswerSaysSo() {
        assertThat(answer(PASSAGES, "Who is the works council chair?")).isEqualTo(ExtractiveChatProvider.NOTHING);
        assertThat(answer("[99999999999] huge number\nSome text about valves.", "valves"))
                .as("an absurd passage number is text, not a crash").contains("valves");
    }
}
