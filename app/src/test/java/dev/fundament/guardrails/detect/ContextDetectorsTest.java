package dev.fundament.guardrails.detect;

import static dev.fundament.guardrails.detect.PatternDetectorsTest.found;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Detectors that need more than a checksum: phone numbers, identifiers, dates of birth, addresses, names, secrets. */
class ContextDetectorsTest {

    @Test
    void phoneNumbersInGermanAustrianSwissAndUsFormats() {
        PhoneDetector d = new PhoneDetector();
        assertThat(found(d, "Ruf mich an: +49 30 1234567 oder 0171 1234567, Büro (030) 123 45 67.")).containsExactly(
                "+49 30 1234567", "0171 1234567", "(030) 123 45 67");
        assertThat(found(d, "Zürich +41 44 668 18 00, Wien +43 1 58858 0, New York (212) 555-0198")).containsExactly(
                "+41 44 668 18 00", "+43 1 58858 0", "(212) 555-0198");
        assertThat(found(d, "Invoice 2026-11-26 for 1,234,567 units, IP 192.168.100.200, IBAN DE89 3704 0044 0532 0130 00"))
                .isEmpty();
    }

    @Test
    void nationalIdentifiers() {
        NationalIdDetector d = new NationalIdDetector();
        assertThat(found(d, "SSN 853-37-1694, not 666-12-3456 or 000-12-3456.")).containsExactly("853-37-1694");
        assertThat(found(d, "Steuer-ID 86095742719, wrong check digit 86095742718.")).contains("86095742719")
                .doesNotContain("86095742718");
        assertThat(found(d, "NI number AB 12 34 56 C on file.")).containsExactly("AB 12 34 56 C");
        assertThat(found(d, "My driver's license number is F162823540116.")).containsExactly("F162823540116");
    }

    @Test
    void datesOfBirthNeedTheirContext() {
        DateOfBirthDetector d = new DateOfBirthDetector();
        assertThat(found(d, "Born on 14.03.1987 in Graz; Geburtsdatum: 1990-02-28; DOB March 3, 1979.")).containsExactlyInAnyOrder(
                "14.03.1987", "1990-02-28", "March 3, 1979");
        assertThat(found(d, "The meeting on 14.03.2026 moved to 2026-03-21.")).isEmpty();
    }

    @Test
    void streetAddresses() {
        AddressDetector d = new AddressDetector();
        assertThat(found(d, "Ship it to 14 Crown Street, or to Hauptstraße 5, 10115 Berlin, or Via Franscini 71."))
                .containsExactly("14 Crown Street", "Hauptstraße 5, 10115 Berlin", "Via Franscini 71");
        assertThat(found(d, "We reviewed 14 proposals on the way to the street fair.")).isEmpty();
    }

    @Test
    void personNamesByDictionaryAndContext() {
        PersonDetector d = new PersonDetector();
        assertThat(found(d, "Please forward this to Maria Schmidt and Dr. Okonkwo before Friday.")).containsExactly(
                "Maria Schmidt", "Okonkwo");
        assertThat(found(d, "Kind regards,\nJonas Lindqvist")).containsExactly("Jonas Lindqvist");
        assertThat(found(d, "The quarterly report for Germany is ready. Will you review it in May?")).isEmpty();
    }

    @Test
    void secrets() {
        SecretDetector d = new SecretDetector();
        assertThat(found(d, "export GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0nly12345678")).isNotEmpty();
        assertThat(found(d, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"))
                .hasSizeGreaterThanOrEqualTo(1);
        assertThat(found(d, "jdbc url postgresql://app:S3cr3t-P4ss@db.internal:5432/sales")).containsExactly("S3cr3t-P4ss");
        assertThat(found(d, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
                + "-----END OPENSSH PRIVATE KEY-----")).hasSize(1);
        assertThat(found(d, "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm5hIiwiZXhwIjoxNzk1NjU5NzkzfQ."
                + "c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2")).isNotEmpty();
        assertThat(found(d, "Commit 3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39 fixed the token handling; "
                + "request id 550e8400-e29b-41d4-a716-446655440000; password = os.getenv('DB_PASSWORD')")).isEmpty();
    }
}
