package dev.fundament.retrieval.source;

import dev.fundament.config.SourceSpec;
import dev.fundament.retrieval.ingest.Source;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the connector a source's settings describe. */
public final class Sources {

    private Sources() {
    }

    /**
     * @param password the resolved password for database sources, or null
     * @param collection the collection's name, part of a change-data-capture slot's name
     * @param base     the directory relative paths are resolved against
     * @return the connector, or empty for a push source (documents arrive through the API)
     */
    public static Optional<Source> create(SourceSpec spec, String password, String collection, Path base) {
        return switch (spec.type()) {
            case FOLDER -> Optional.of(new FolderSource(base.resolve(spec.path()), spec.include()));
            case MAIL -> Optional.of(new MailSource(base.resolve(spec.path())));
            case RECORDS -> Optional.of(new RecordsSource(base.resolve(spec.path()), spec.format(),
                    new RecordsSource.Fields(spec.idField(), spec.titleField(), spec.textFields(), spec.readersField())));
            case JDBC -> Optional.of(new JdbcSource(spec, password));
            case POSTGRES_CDC -> Optional.of(new PostgresCdcSource(spec, password, PostgresCdcSource.slotName(collection, spec.name())));
            case PUSH -> Optional.empty();
        };
    }
}
