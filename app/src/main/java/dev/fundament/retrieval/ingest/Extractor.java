package dev.fundament.retrieval.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Text and structure out of a document: headings, paragraphs and table rows in reading order, so
 * the chunker can cut along them. Files go through Apache Tika (PDF, Office, HTML, mail and more),
 * which streams them: a large file is never held in memory, only its text, and that is capped at
 * {@link #MAX_CHARS}. Markdown and plain text, which Tika would flatten, are read here.
 *
 * <p>Normalisation: Unicode NFKC (ligatures and full-width forms become plain letters), control
 * characters dropped, runs of whitespace collapsed, words hyphenated across a line break joined.
 */
final class Extractor {

    /** The most text kept from one document; the rest is cut and the document's record says so. */
    static final int MAX_CHARS = 5_000_000;

    private final Parser parser = new AutoDetectParser();

    /** What came out of a document. */
    record Extracted(String title, List<Block> blocks, boolean truncated) {
    }

    /** A document that cannot be read; the message is the reason recorded for it. */
    static final class ExtractionException extends Exception {
        ExtractionException(String message) {
            super(message);
        }
    }

    Extracted extract(Content content) throws ExtractionException {
        return switch (content) {
            case Content.Text t -> text(t.text(), t.mediaType());
            case Content.Bytes b -> bytes(b);
        };
    }

    private Extracted text(String text, String mediaType) throws ExtractionException {
        String type = mediaType == null ? "text/plain" : mediaType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/markdown")) {
            return new Extracted(null, markdown(text), false);
        }
        if (type.startsWith("text/html")) {
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return bytes(new Content.Bytes(() -> new java.io.ByteArrayInputStream(bytes), "document.html", bytes.length));
        }
        return new Extracted(null, plain(text), false);
    }

    private Extracted bytes(Content.Bytes b) throws ExtractionException {
        String name = b.name() == null ? "" : b.name().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown") || name.endsWith(".txt") || name.endsWith(".text")) {
            String text = read(b);
            return new Extracted(null, name.endsWith(".txt") || name.endsWith(".text") ? plain(text) : markdown(text), false);
        }
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, b.name());
        Handler handler = new Handler();
        try (InputStream in = b.opener().open()) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new ExtractionException("the file is password-protected");
        } catch (Handler.LimitReached e) {
            // keep what was read
        } catch (IOException e) {
            throw new ExtractionException("the file could not be read: " + e.getMessage());
        } catch (TikaException | SAXException | RuntimeException e) {
            if (handler.truncated) {
                return done(handler, metadata);
            }
            throw new ExtractionException("the file is corrupt or not in a format it claims (" + b.name() + "): "
                    + firstLine(e.getMessage()));
        }
        return done(handler, metadata);
    }

    private static Extracted done(Handler handler, Metadata metadata) throws ExtractionException {
        handler.flush();
        if (handler.blocks.isEmpty()) {
            throw new ExtractionException("no text could be extracted (an empty file, or a scanned image without text)");
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        return new Extracted(title == null || title.isBlank() ? null : normalise(title), handler.blocks, handler.truncated);
    }

    private static String read(Content.Bytes b) throws ExtractionException {
        try (InputStream in = b.opener().open()) {
            byte[] bytes = in.readNBytes(MAX_CHARS);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExtractionException("the file could not be read: " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Paragraphs separated by blank lines. */
    static List<Block> plain(String text) {
        List<Block> out = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = normalise(paragraph);
            if (!p.isEmpty()) {
                out.add(new Block(Block.Kind.PARAGRAPH, 0, p));
            }
        }
        return out;
    }

    /** ATX headings, pipe tables, list items and paragraphs. */
    static List<Block> markdown(String text) {
        List<Block> out = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        boolean inTable = false;
        boolean headerRow = false;
        for (String raw : text.split("\\r?\\n")) {
            String line = raw.strip();
            boolean tableLine = line.startsWith("|");
            if (inTable && !tableLine) {
                out.add(new Block(Block.Kind.TABLE_END, 0, ""));
                inTable = false;
            }
            if (line.isEmpty()) {
                flush(paragraph, out);
            } else if (line.matches("#{1,6}\\s+.*")) {
                flush(paragraph, out);
                int level = line.indexOf(' ');
                out.add(new Block(Block.Kind.HEADING, level, normalise(line.substring(level).replaceAll("#+$", ""))));
            } else if (tableLine) {
                flush(paragraph, out);
                if (line.matches("\\|?[\\s:|-]+\\|?") && line.contains("-")) {
                    continue; // the separator under a header row
                }
                headerRow = !inTable;
                inTable = true;
                List<String> cells = new ArrayList<>();
                for (String cell : line.replaceAll("^\\||\\|$", "").split("\\|")) {
                    cells.add(normalise(cell));
                }
                out.add(new Block(Block.Kind.ROW, headerRow ? 1 : 0, String.join(" | ", cells)));
            } else if (line.matches("([-*+]|\\d+[.)])\\s+.*")) {
                flush(paragraph, out);
                paragraph.append(line);
                flush(paragraph, out);
            } else {
                paragraph.append(paragraph.isEmpty() ? "" : " ").append(line);
            }
        }
        flush(paragraph, out);
        if (inTable) {
            out.add(new Block(Block.Kind.TABLE_END, 0, ""));
        }
        return out;
    }

    private static void flush(StringBuilder paragraph, List<Block> out) {
        String p = normalise(paragraph.toString());
        if (!p.isEmpty()) {
            out.add(new Block(Block.Kind.PARAGRAPH, 0, p));
        }
        paragraph.setLength(0);
    }

    static String normalise(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        n = n.replaceAll("(\\p{L})-\\s*\\n\\s*(\\p{Ll})", "$1$2");
        StringBuilder b = new StringBuilder(n.length());
        boolean space = false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
            } else if (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT) {
                if (space && !b.isEmpty()) {
                    b.append(' ');
                }
                space = false;
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Collects blocks from Tika's XHTML events. */
    private static final class Handler extends DefaultHandler {

        /** Thrown to stop parsing once {@link #MAX_CHARS} were read. */
        static final class LimitReached extends SAXException {
            LimitReached() {
                super("text limit reached");
            }
        }

        final List<Block> blocks = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final List<String> cells = new ArrayList<>();
        private int chars;
        private int heading;
        private boolean inRow;
        private boolean rowHasHeader;
        private int rowsInTable;
        private boolean truncated;
        private int skip;

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
            String e = local.isEmpty() ? qName : local;
            switch (e) {
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    flush();
                    heading = e.charAt(1) - '0';
                }
                case "p", "li", "div", "br", "blockquote", "pre" -> {
                    if (!inRow) {
                        flush();
                    } else {
                        text.append(' ');
                    }
                }
                case "table" -> {
                    flush();
                    rowsInTable = 0;
                }
                case "tr" -> {
                    flush();
                    inRow = true;
                    rowHasHeader = false;
                    cells.clear();
                }
                case "td", "th" -> {
                    text.setLength(0);
                    rowHasHeader |= e.equals("th");
                }
                case "script", "style", "head" -> skip++;
                default -> {
                }
            }
        }

        @Override
        public void endElement(String uri, String local, String qName) {
            String e = local.isEmpty() ? qName : local;
            switch (e) {
                case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                    String h = normalise(text.toString());
                    text.setLength(0);
                    if (!h.isEmpty()) {
                        blocks.add(new Block(Block.Kind.HEADING, heading, h));
                    }
                    heading = 0;
                }
                case "td", "th" -> {
                    cells.add(normalise(text.toString()));
                    text.setLength(0);
                }
                case "tr" -> {
                    inRow = false;
                    if (cells.stream().anyMatch(c -> !c.isEmpty())) {
                        boolean header = rowHasHeader || rowsInTable == 0;
                        blocks.add(new Block(Block.Kind.ROW, header ? 1 : 0, String.join(" | ", cells)));
                        rowsInTable++;
                    }
                    cells.clear();
                }
                case "table" -> {
                    flush();
                    blocks.add(new Block(Block.Kind.TABLE_END, 0, ""));
                }
                case "p", "li", "div", "blockquote", "pre" -> {
                    if (!inRow) {
                        flush();
                    }
                }
                case "script", "style", "head" -> skip = Math.max(0, skip - 1);
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (skip > 0) {
                return;
            }
            chars += length;
            if (chars > MAX_CHARS) {
                truncated = true;
                throw new LimitReached();
            }
            text.append(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            text.append(' ');
        }

        void flush() {
            if (heading > 0 || inRow) {
                return;
            }
            String p = normalise(text.toString());
            text.setLength(0);
            if (!p.isEmpty()) {
                blocks.add(new Block(Block.Kind.PARAGRAPH, 0, p));
            }
        }
    }
}
