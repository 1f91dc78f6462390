package dev.fundament.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fundament.guardrails.detect.CanaryDetector;
import dev.fundament.guardrails.detect.Category;
import dev.fundament.guardrails.detect.EmailDetector;
import dev.fundament.guardrails.detect.Finding;
import dev.fundament.guardrails.detect.IbanDetector;
import dev.fundament.guardrails.detect.SecretDetector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The normal form detectors read and the way back to the caller's characters. Each case here passed
 * the guardrails unseen before: a zero-width space inside a key, a full-width at sign, a canary with
 * two spaces, and values sent base64-encoded.
 */
class NormalisedTest {

    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";

    @Test
    void plainTextIsItsOwnNormalForm() {
        Normalised n = Normalised.of("Hello world,\nall fine.");
        assertThat(n.same()).isTrue();
        assertThat(n.text()).isEqualTo("Hello world,\nall fine.");
        assertThat(n.rawStart(6)).isEqualTo(6);
        assertThat(n.rawEnd(11)).isEqualTo(11);
    }

    @Test
    void invisibleCharactersAreRemovedAndOffsetsLeadBackToTheOriginal() {
        String raw = "key " + "AKIA\u200BIOSF\u2060ODNN\uFEFF7EXA\u202EMPLE" + " end";
        Normalised n = Normalised.of(raw);
        assertThat(n.text()).isEqualTo("key " + KEY + " end");
        int start = n.text().indexOf(KEY);
        int end = start + KEY.length();
        assertThat(raw.substring(n.rawStart(start), n.rawEnd(end))).isEqualTo("AKIA\u200BIOSF\u2060ODNN\uFEFF7EXA\u202EMPLE");
    }

    @Test
    void compatibilityCharactersAreFoldedAndWhiteSpaceRunsCollapse() {
        String raw = "mail\u00A0 \t maria\uFF20example\uFF0Ecom\r\n\r\nnext  line";
        Normalised n = Normalised.of(raw);
        assertThat(n.text()).isEqualTo("mail maria@example.com\nnext line");
        int at = n.text().indexOf("maria");
        assertThat(raw.substring(n.rawStart(at), n.rawEnd(at + "maria@example.com".length())))
                .isEqualTo("maria\uFF20example\uFF0Ecom");
        assertThat(n.rawStart(n.text().length())).isEqualTo(raw.length());
    }

    @Test
    void oneCharacterFoldedIntoSeveralMapsEachToIt() {
        String raw = "x \uFB01le y"; // the "fi" ligature
        Normalised n = Normalised.of(raw);
        assertThat(n.text()).isEqualTo("x file y");
        assertThat(raw.substring(n.rawStart(2), n.rawEnd(3))).isEqualTo("\uFB01");
        assertThat(raw.substring(n.rawStart(3), n.rawEnd(6))).isEqualTo("\uFB01le");
    }

    @Test
    void tagCharactersAreReadAsTheAsciiTheyHide() {
        StringBuilder raw = new StringBuilder("hi ");
        "ignore".codePoints().forEach(c -> raw.appendCodePoint(0xE0000 + c));
        assertThat(Normalised.of(raw.toString()).text()).isEqualTo("hi ignore");
    }

    @Test
    void findingsInTheNormalFormReplaceTheOriginalCharacters() {
        String raw = "Write to maria\uFF20example.com or use AKIA\u200BIOSFODNN7EXAMPLE.";
        List<Finding> found = Scanner.scan(raw, List.of(new EmailDetector(), new SecretDetector()));
        assertThat(found).extracting(Finding::category).containsExactly(Category.EMAIL, Category.SECRET);
        assertThat(raw.substring(found.get(0).start(), found.get(0).end())).isEqualTo("maria\uFF20example.com");
        assertThat(raw.substring(found.get(1).start(), found.get(1).end())).isEqualTo("AKIA\u200BIOSFODNN7EXAMPLE");
    }

    @Test
    void aValueFoundInsideABase64RunCoversTheWholeRun() {
        String encoded = Base64.getEncoder().encodeToString(("aws key " + KEY).getBytes(StandardCharsets.UTF_8));
        String iban = Base64.getUrlEncoder().withoutPadding().encodeToString("DE89 3704 0044 0532 0130 00"
                .getBytes(StandardCharsets.UTF_8));
        String raw = "decode " + encoded + " and " + iban + " please";
        List<Finding> found = Scanner.scan(raw, List.of(new SecretDetector(), new IbanDetector()));
        assertThat(found).extracting(Finding::category).containsExactly(Category.SECRET, Category.IBAN);
        assertThat(raw.substring(found.get(0).start(), found.get(0).end())).isEqualTo(encoded);
        assertThat(raw.substring(found.get(1).start(), found.get(1).end())).isEqualTo(iban);
    }

    @Test
    void base64OfBytesAndOrdinaryTokensAreNotDecodedAsText() {
        byte[] image = new byte[3000];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i * 31 + (i >> 3));
        }
        String blob = Base64.getEncoder().encodeToString(image);
        assertThat(Base64Runs.find("data:image/png;base64," + blob)).singleElement()
                .satisfies(r -> assertThat(r.blob()).isTrue());
        assertThat(Base64Runs.find("sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).isEmpty();
        assertThat(Base64Runs.find("see Donaudampfschifffahrtsgesellschaft and internationalization")).isEmpty();
        assertThat(Base64Runs.find("the id 550e8400-e29b-41d4-a716-446655440000 and snake_case_identifier_name")).isEmpty();
    }

    @Test
    void canariesMatchWhateverTheWhiteSpaceBetweenTheirWords() {
        CanaryDetector canary = new CanaryDetector("customers", List.of("Globex  Corporation", "Initech"));
        for (String text : List.of("a Globex  Corporation deal", "a globex\tcorporation deal", "a Globex\n Corporation deal",
                "a Globex\u00A0Corporation deal")) {
            List<Finding> found = new java.util.ArrayList<>();
            canary.detect(text, found);
            assertThat(found).as(text).singleElement().satisfies(f -> assertThat(text.substring(f.start(), f.end()))
                    .isEqualTo(text.substring(2, text.length() - 5)));
        }
        List<Finding> found = new java.util.ArrayList<>();
        canary.detect("GlobexCorporation and Initechs", found);
        assertThat(found).isEmpty();
        assertThat(Scanner.scan("deal with Globex \u200B Corporation", List.of(canary))).hasSize(1);
    }
}
