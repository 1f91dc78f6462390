package dev.fundament.retrieval.source;

import dev.fundament.retrieval.ingest.Content;
import dev.fundament.retrieval.ingest.Source;
import dev.fundament.retrieval.ingest.SourceContext;
import dev.fundament.retrieval.ingest.SourceDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A folder or mounted NAS share, read recursively. A file is read only when its modification time
 * or size differ from the last run (then the pipeline compares content hashes, so a touched but
 * unchanged file is not re-indexed); files gone since the last run are deleted from the collection.
 * Hidden files and directories (names starting with a dot) are skipped.
 *
 * <p>Access: a {@code .readers} file in a directory lists, one per line, who may read the files in
 * it and below ({@code team:hr}, {@code group:works-council}, {@code user:ann}, {@code public}); the
 * nearest one up the tree wins, and without one the source's or collection's readers apply. It mirrors
 * how shares are usually permissioned: by folder. Changing it re-indexes the files it covers. One
 * that cannot be read or names nobody keeps its folder's files out (recorded as failed): an access
 * list is never replaced by a wider one.
 */
final class FolderSource implements Source {

    /** What is read when {@code include} is not given: the formats the extractor handles. */
    static final List<String> DEFAULT_INCLUDE = List.of("*.pdf", "*.docx", "*.doc", "*.xlsx", "*.xls", "*.pptx", "*.ppt",
            "*.odt", "*.ods", "*.odp", "*.rtf", "*.html", "*.htm", "*.md", "*.markdown", "*.txt", "*.eml", "*.msg", "*.csv");
    static final String READERS_FILE = ".readers";
    /** The readers of a folder whose {@code .readers} file cannot be read or names nobody: its files are not indexed. */
    private static final Set<String> LOCKED = Set.of("\u0000locked");

    private final Path root;
    private final List<PathMatcher> include;

    FolderSource(Path root, List<String> include) {
        this.root = root;
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : include.isEmpty() ? DEFAULT_INCLUDE : include) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.toLowerCase()));
        }
        this.include = matchers;
    }

    private record Found(String id, Path file, long modified, long size, Set<String> readers) {
        String version() {
            return modified + ":" + size + ":" + String.join(",", readers);
        }
    }

    @Override
    public void run(SourceContext context) throws IOException {
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IOException("folder " + root.toAbsolutePath() + " does not exist or cannot be read");
        }
        Map<String, String> known = context.known();
        List<Found> changed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Path, Set<String>> readersByDir = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Set<String> inherited = dir.equals(root) ? Set.of() : readersByDir.getOrDefault(dir.getParent(), Set.of());
                Path file = dir.resolve(READERS_FILE);
                Set<String> own = !Files.exists(file) ? inherited : Files.isReadable(file) ? readers(file) : LOCKED;
                readersByDir.put(dir, own.isEmpty() && Files.exists(file) ? LOCKED : own);
                return context.stopping() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (!attrs.isRegularFile() || name.startsWith(".") || !included(name)) {
                    return FileVisitResult.CONTINUE;
                }
                String id = id(file);
                seen.add(id);
                Set<String> readers = readersByDir.getOrDefault(file.getParent(), Set.of());
                if (readers == LOCKED) { // fail closed: an ACL that cannot be read must not fall back to a wider one
                    context.failed(id, file.toUri().toString(), "not indexed: the " + READERS_FILE + " file of its folder"
                            + " cannot be read or names no reader");
                    return FileVisitResult.CONTINUE;
                }
                Found f = new Found(id, file, attrs.lastModifiedTime().toMillis(), attrs.size(), readers);
                if (!f.version().equals(known.get(id))) {
                    changed.add(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                String id = id(file);
                seen.add(id);
                context.failed(id, file.toUri().toString(), "cannot be read: " + e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
        if (context.stopping()) {
            return;
        }
        context.expect(changed.size());
        for (Found f : changed) {
            if (context.stopping()) {
                return;
            }
            context.upsert(new SourceDocument(f.id(), f.file().toUri().toString(), null,
                    java.time.Instant.ofEpochMilli(f.modified()), f.version(), f.readers(), Map.of("path", f.id()),
                    new Content.Bytes(() -> Files.newInputStream(f.file()), f.file().getFileName().toString(), f.size())));
        }
        known.keySet().stream().filter(id -> !seen.contains(id)).forEach(context::delete);
    }

    private boolean included(String name) {
        Path lower = Path.of(name.toLowerCase());
        for (PathMatcher m : include) {
            if (m.matches(lower)) {
                return true;
            }
        }
        return false;
    }

    private String id(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static Set<String> readers(Path file) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                out.add(entry);
            }
        }
        return out;
    }
}
