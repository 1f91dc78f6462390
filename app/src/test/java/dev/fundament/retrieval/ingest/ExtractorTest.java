package dev.fundament.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;

/** Text and structure out of real file formats, made here with the same libraries Tika reads them with. */
class ExtractorTest {

    private final Extractor extractor = new Extractor();

    private Extractor.Extracted bytes(byte[] data, String name) throws Exception {
        return extractor.extract(new Content.Bytes(() -> new ByteArrayInputStream(data), name, data.length));
    }

    private static List<String> texts(Extractor.Extracted e, Block.Kind kind) {
        return e.blocks().stream().filter(b -> b.kind() == kind).map(Block::text).toList();
    }

    @Test
    void aWordDocumentKeepsItsHeadingsParagraphsAndTables() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XWPFDocument doc = new XWPFDocument()) {
            var heading = doc.createParagraph();
            heading.setStyle("Heading1");
            heading.createRun().setText("Travel policy");
            doc.createParagraph().createRun().setText("Trains are booked in second class.");
            var table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("Distance");
            table.getRow(0).getCell(1).setText("Class");
            table.getRow(1).getCell(0).setText("over 4 hours");
            table.getRow(1).getCell(1).setText("first");
            doc.write(out);
        }
        Extractor.Extracted e = bytes(out.toByteArray(), "travel.docx");
        assertThat(String.join(" ", texts(e, Block.Kind.PARAGRAPH))).contains("Trains are booked in second class.");
        assertThat(texts(e, Block.Kind.ROW)).containsExactly("Distance | Class", "over 4 hours | first");
        assertThat(e.blocks().stream().filter(b -> b.kind() == Block.Kind.ROW).findFirst().orElseThrow().level())
                .as("the first row is the header").isEqualTo(1);
    }

    @Test
    void aSpreadsheetBecomesTableRowsUnderItsSheetName() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            var sheet = book.createSheet("Prices");
            var header = sheet.createRow(0);
            header.createCell(0).setCellValue("Product");
            header.createCell(1).setCellValue("Price");
            var row = sheet.createRow(1);
            row.createCell(0).setCellValue("NW-720 Press Brake");
            row.createCell(1).setCellValue(154500);
            book.write(out);
        }
        Extractor.Extracted e = bytes(out.toByteArray(), "prices.xlsx");
        assertThat(texts(e, Block.Kind.HEADING)).contains("Prices");
        assertThat(texts(e, Block.Kind.ROW)).contains("Product | Price", "NW-720 Press Brake | 154500");
    }

    @Test
    void aPdfsTextIsExtracted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument pdf = new PDDocument()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(pdf, page)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                s.newLineAtOffset(72, 700);
                s.showText("Warranty: 24 months from commissioning.");
                s.endText();
            }
            pdf.save(out);
        }
        Extractor.Extracted e = bytes(out.toByteArray(), "warranty.pdf");
        assertThat(String.join(" ", texts(e, Block.Kind.PARAGRAPH))).contains("Warranty: 24 months from commissioning.");
    }

    @Test
    void htmlAndMailAreReadWithTheirStructure() throws Exception {
        Extractor.Extracted html = extractor.extract(new Content.Text(
                "<html><head><title>FAQ</title><script>var x=1;</script></head><body><h2>Returns</h2><p>Within 30 days.</p></body></html>",
                "text/html"));
        assertThat(html.title()).isEqualTo("FAQ");
        assertThat(texts(html, Block.Kind.HEADING)).containsExactly("Returns");
        assertThat(texts(html, Block.Kind.PARAGRAPH)).containsExactly("Within 30 days.").doesNotContain("var x=1;");

        byte[] mail = """
                From: ann@example.com
                To: support@example.com
                Subject: Spindle noise
                Message-ID: <m1@example.com>
                Content-Type: text/plain; charset=UTF-8

                The spindle of our NW-310 makes a grinding noise above 8,000 rpm.
                """.getBytes(StandardCharsets.UTF_8);
        Extractor.Extracted eml = bytes(mail, "message.eml");
        assertThat(eml.title()).isEqualTo("Spindle noise");
        assertThat(String.join(" ", texts(eml, Block.Kind.PARAGRAPH))).contains("grinding noise above 8,000 rpm");
    }

    @Test
    void aCorruptFileIsRefusedWithAReason() {
        byte[] notAPdf = "%PDF-1.7\nthis is not really a pdf".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> bytes(notAPdf, "broken.pdf"))
                .isInstanceOf(Extractor.ExtractionException.class)
                .hasMessageContaining("broken.pdf");
        assertThatThrownBy(() -> bytes(new byte[0], "empty.docx"))
                .isInstanceOf(Extractor.ExtractionException.class);
    }

    @Test
    void normalisationFoldsLigaturesJoinsHyphenatedWordsAndCollapsesWhitespace() {
        assertThat(Extractor.normalise("ﬁle  main-\n tenance\u0000 \t done")).isEqualTo("file maintenance done");
    }
}
