package dev.fundament.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This instance's id, kept in {@code <data>/instance.id}: it names the instance's audit chain and the
 * requests it has open in the ledger, so an instance sharing a PostgreSQL database with others
 * settles only its own after a crash. Created once, on first use, by whichever capability asks first.
 */
public final class InstanceId {

    private static final String FILE = "instance.id";

    private InstanceId() {
    }

    public static synchronized String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isReadable(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dataDir);
            String id = TimeOrderedIds.next();
            try {
                Files.writeString(file, id + "\n", java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file).strip();
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file, e);
        }
    }
}
