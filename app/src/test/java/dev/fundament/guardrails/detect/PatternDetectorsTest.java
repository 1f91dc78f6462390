package dev.fundament.guardrails.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checksum and pattern detectors on real-looking values, and on look-alikes they must leave alone. */
class PatternDetectorsTest {

    static List<String> found(Detector d, String text) {
        List<Finding> out = new ArrayList<>();
        d.detect(text, out);
        return out.stream().map(f -> text.substring(f.start(), f.end())).toList();
    }

    @Test
    void emails() {
        EmailDetector d = new EmailDetector();
        assertThat(found(d, "Schreiben Sie an anna.mueller+hr@firma-gmbh.de oder (j.o'neil@example.co.uk).")).containsExactly(
                "anna.mueller+hr@firma-gmbh.de", "j.o'neil@example.co.uk");
        assertThat(found(d, "Mention @channel, ping me @ 5pm, or user@localhost, or a@b.c")).isEmpty();
    }

    @Test
    void ibansNeedAValidChecksum() {
        IbanDetector d = new IbanDetector();
        assertThat(found(d, "Bitte auf DE89 3704 0044 0532 0130 00 überweisen, nicht auf DE89 3704 0044 0532 0130 01."))
                .containsExactly("DE89 3704 0044 0532 0130 00");
        assertThat(found(d, "IBAN:GB29NWBK60161331926819, CH9300762011623852957 and AT611904300234573201"))
                .containsExactly("GB29NWBK60161331926819", "CH9300762011623852957", "AT611904300234573201");
        assertThat(found(d, "Order AB12CDEF3456789012 shipped")).isEmpty();
    }

    @Test
    void cardsNeedTheLuhnCheck() {
        CardDetector d = new CardDetector();
        assertThat(found(d, "Visa 4111 1111 1111 1111, Amex 3782-822463-10005, Mastercard 5555555555554444"))
                .containsExactly("4111 1111 1111 1111", "3782-822463-10005", "5555555555554444");
        assertThat(found(d, "Order 4111 1111 1111 1112, phone 0049 30 12345678, tracking 1234567890123"))
                .isEmpty();
    }

    @Test
    void ipAddresses() {
        IpAddressDetector d = new IpAddressDetector();
        assertThat(found(d, "Server 192.168.10.24 and 2001:db8:85a3::8a2e:370:7334 and fe80::1ff:fe23:4567:890a"))
                .containsExactly("192.168.10.24", "2001:db8:85a3::8a2e:370:7334", "fe80::1ff:fe23:4567:890a");
        assertThat(found(d, "Version 1.2.3.4.5, value 256.1.1.1, at 10:30 or 12::45")).isEmpty();
    }

    @Test
    void canariesMatchWholeWordsCaseInsensitively() {
        CanaryDetector d = new CanaryDetector("customers", List.of("Globex Corporation", "Initech", "Müller & Söhne"));
        assertThat(found(d, "Angebot für GLOBEX CORPORATION und müller & söhne, nicht für Initechnik."))
                .containsExactly("GLOBEX CORPORATION", "müller & söhne");
    }
}
