package dev.fundament.retrieval.source;

import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Mail archives: an mbox file, or a directory of mbox files and {@code .eml} messages. Each message
 * is one document, its id the {@code Message-ID} (or file and position when it has none), its title
 * the subject; the body and text attachments are extracted by Tika's RFC 822 parser. An mbox is read
 * as a stream, one message in memory at a time (at most {@link #MAX_MESSAGE} bytes; a larger one is
 * recorded as failed). Messages gone from the archive since the last run are deleted.
 */
final class MailSource implements Source {

    static final int MAX_MESSAGE = 50 << 20;

    private final Path path;

    MailSource(Path path) {
        this.path = path;
    }

    @Override
    public void run(SourceContext context) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("mail archive " + path.toAbsolutePath() + " does not exist or cannot be read");
        }
        Set<String> known = context.known().keySet();
        Set<String> seen = new HashSet<>();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                        .forEach(files::add);
            }
        } else {
            files.add(path);
        }
        for (Path file : files) {
            if (context.stopping()) {
                return;
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".eml")) {
                if (Files.size(file) > MAX_MESSAGE) {
                    String id = path.relativize(file).toString();
                    seen.add(id);
                    context.failed(id, file.toUri().toString(), "message larger than " + (MAX_MESSAGE >> 20) + " MiB");
                    continue;
                }
                byte[] message = Files.readAllBytes(file);
                String id = messageId(message, path.relativize(file).toString());
                if (!seen.add(id)) {
                    id = path.relativize(file).toString();
                    seen.add(id);
                }
                context.upsert(document(id, file, message));
            } else if (name.endsWith(".mbox") || name.endsWith(".mbx") || file.equals(path)) {
                mbox(file, context, seen);
            }
        }
        if (context.stopping()) {
            return;
        }
        known.stream().filter(id -> !seen.contains(id)).forEach(context::delete);
    }

    /** Splits an mbox at its {@code From } separator lines, un-escaping {@code >From } lines. */
    private void mbox(Path file, SourceContext context, Set<String> seen) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int n = 0;
            boolean tooLarge = false;
            boolean previousBlank = true;
            for (byte[] line; (line = line(in)) != null; ) {
                if (previousBlank && startsWith(line, "From ")) {
                    if (message.size() > 0 || tooLarge) {
                        deliver(file, ++n, message.toByteArray(), tooLarge, context, seen);
                    }
                    message.reset();
                    tooLarge = false;
                    previousBlank = false;
                    continue;
                }
                previousBlank = line.length == 0 || line.length == 1 && line[0] == '\r';
                if (tooLarge) {
                    continue;
                }
                int from = startsWith(line, ">From ") ? 1 : 0;
                message.write(line, from, line.length - from);
                message.write('\n');
                if (message.size() > MAX_MESSAGE) {
                    tooLarge = true;
                    message.reset();
                }
            }
            if (message.size() > 0 || tooLarge) {
                deliver(file, ++n, message.toByteArray(), tooLarge, context, seen);
            }
        }
    }

    private void deliver(Path file, int n, byte[] message, boolean tooLarge, SourceContext context, Set<String> seen) {
        String fallback = path.relativize(file) + "#" + n;
        if (tooLarge) {
            seen.add(fallback);
            context.failed(fallback, file.toUri() + "#" + n, "message larger than " + (MAX_MESSAGE >> 20) + " MiB");
            return;
        }
        String id = messageId(message, fallback);
        if (!seen.add(id)) { // a second message with the same Message-ID (a copy, or a forged id): kept apart
            id = fallback;
            seen.add(id);
        }
        context.upsert(document(id, file, message));
    }

    private static SourceDocument document(String id, Path file, byte[] message) {
        return new SourceDocument(id, "mid:" + id, null, null, null, Set.of(), Map.of("archive", file.getFileName().toString()),
                new Content.Bytes(() -> new java.io.ByteArrayInputStream(message), "message.eml", message.length));
    }

    /** The Message-ID header's value without angle brackets, from the header block only. */
    static String messageId(byte[] message, String fallback) {
        String head = new String(message, 0, Math.min(message.length, 64 * 1024), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\n\n");
        if (end >= 0) {
            head = head.substring(0, end);
        }
        for (String line : head.split("\r?\n")) {
            if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                String value = line.substring(11).strip().replaceAll("^<|>$", "");
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        return fallback;
    }

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** One line without its {@code \n}, or null at the end. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toByteArray();
            }
            if (b.size() <= MAX_MESSAGE) { // a line longer than a message may be is cut; the message then fails as too large
                b.write(c);
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }
}
