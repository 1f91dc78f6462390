package dev.fundament.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private final Chunker chunker = new Chunker(64, 8);

    @Test
    void aHeadingStartsANewChunkAndEveryChunkCarriesItsHeadingPath() {
        List<Block> blocks = Extractor.markdown("""
                # Handbook
                Intro paragraph about the company.
                ## Leave
                Employees get 30 days of paid leave.
                ### Parental leave
                Parents may take up to three years of parental leave.
                """);
        List<Chunker.Piece> pieces = chunker.chunk(blocks);
        assertThat(pieces).extracting(Chunker.Piece::heading)
                .containsExactly("Handbook", "Handbook > Leave", "Handbook > Leave > Parental leave");
        assertThat(pieces.get(2).text()).isEqualTo("Parents may take up to three years of parental leave.");
        assertThat(pieces.get(2).indexed()).startsWith("Handbook > Leave > Parental leave\n");
    }

    @Test
    void aLongTableIsSplitBetweenRowsWithItsHeaderRowRepeated() {
        StringBuilder md = new StringBuilder("# Prices\n| Product | Article | Price |\n|---|---|---|\n");
        for (int i = 0; i < 40; i++) {
            md.append("| Machine model ").append(i).append(" | A-").append(1000 + i).append(" | ").append(10_000 + i).append(" |\n");
        }
        List<Chunker.Piece> pieces = chunker.chunk(Extractor.markdown(md.toString()));
        assertThat(pieces).hasSizeGreaterThan(2);
        for (Chunker.Piece p : pieces) {
            assertThat(p.text()).startsWith("Product | Article | Price");
            assertThat(Tokens.count(p.indexed())).isLessThanOrEqualTo(64);
        }
        String all = String.join("\n", pieces.stream().map(Chunker.Piece::text).toList());
        for (int i = 0; i < 40; i++) {
            assertThat(all).as("row %d kept whole", i).contains("Machine model " + i + " | A-" + (1000 + i) + " | " + (10_000 + i));
        }
    }

    @Test
    void aParagraphLongerThanAChunkIsSplitAtSentencesWithOverlapAndNothingIsLost() {
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sentences.add("Sentence number " + i + " talks about spindle maintenance intervals.");
        }
        List<Chunker.Piece> pieces = chunker.chunk(List.of(new Block(Block.Kind.PARAGRAPH, 0, String.join(" ", sentences))));
        assertThat(pieces).hasSizeGreaterThan(3);
        for (Chunker.Piece p : pieces) {
            assertThat(Tokens.count(p.text())).isLessThanOrEqualTo(64);
        }
        String joined = String.join(" ", pieces.stream().map(Chunker.Piece::text).toList());
        sentences.forEach(s -> assertThat(joined).contains(s));
        String endOfFirst = pieces.get(0).text().substring(pieces.get(0).text().length() - 20);
        assertThat(pieces.get(1).text()).as("overlap with the previous piece").contains(endOfFirst.strip());
    }

    @Test
    void tokenEstimatesAreCloseToAWordPieceCount() {
        assertThat(Tokens.count("The spindle motor is water-cooled.")).isBetween(7, 10);
        assertThat(Tokens.count("Arbeitszeitverordnung")).isEqualTo(5);
        assertThat(Tokens.count("")).isZero();
    }
}
