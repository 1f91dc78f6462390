package dev.fundament.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The loaded configuration as a bean, read once at start-up. The file is {@code fundament.config}
 * (set by {@code ./fundament serve --config} or {@code FUNDAMENT_CONFIG}), else {@code ./fundament.yaml}
 * when it exists, else the built-in defaults. A broken file fails the start with every problem listed.
 */
@ApplicationScoped
public class Configuration {

    private final LoadedConfig loaded;

    @Inject
    public Configuration(@ConfigProperty(name = "fundament.config") Optional<String> file) {
        this.loaded = ConfigLoader.load(file(file), System.getenv());
    }

    public LoadedConfig get() {
        return loaded;
    }

    public FundamentSpec spec() {
        return loaded.spec();
    }

    /** @return the configuration file to read, or {@code null} for the built-in defaults */
    public static Path file(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Path.of(configured.get());
        }
        Path local = Path.of("fundament.yaml");
        return Files.isRegularFile(local) ? local : null;
    }
}
