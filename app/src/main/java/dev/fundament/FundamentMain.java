package dev.fundament;

import dev.fundament.config.ConfigException;
import dev.fundament.config.ConfigLoader;
import dev.fundament.config.LoadedConfig;
import dev.fundament.storage.Storage;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./fundament} command line.
 *
 * <pre>
 * fundament serve    [--port 8080] [--host 127.0.0.1] [--config FILE] [--data DIR]
 * fundament simulate --port P [simulator options]
 * fundament check    [--config FILE]
 * fundament keys|limits|usage …   (admin API client, see {@link dev.fundament.cli.AdminCli})
 * </pre>
 *
 * {@code serve} validates the configuration before the server starts, so a broken file ends with every
 * problem listed by YAML path and exit code 2, not a stack trace.
 */
@QuarkusMain
public class FundamentMain implements QuarkusApplication {

    static final int USAGE = 64;
    static final int BAD_CONFIG = 2;

    public static void main(String... args) {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "serve" -> serve(rest);
            case "check" -> System.exit(check(rest));
            case "simulate" -> dev.fundament.simulator.Simulator.main(rest);
            case "eval" -> System.exit(args.length > 1 && args[1].equals("retrieval")
                    ? dev.fundament.retrieval.eval.RetrievalEval.run(List.of(args).subList(2, args.length), System.out, System.err)
                    : args.length > 1 && args[1].equals("guardrails")
                    ? dev.fundament.guardrails.eval.GuardrailEval.run(List.of(args).subList(2, args.length), System.out, System.err)
                    : args.length > 1 && args[1].equals("train-injection")
                    ? dev.fundament.guardrails.eval.InjectionTrainer.run(List.of(args).subList(2, args.length), System.out, System.err)
                    : usage("Usage: fundament eval guardrails --data DIR | fundament eval train-injection --data DIR --out FILE"
                            + " | fundament eval retrieval --beir DIR [--split dev]"));
            case "keys", "limits", "budgets", "usage", "audit", "collections" -> System.exit(dev.fundament.cli.AdminCli.run(List.of(args), System.getenv(),
                    System.out, System.err));
            case "help", "--help", "-h" -> System.out.println(help());
            default -> {
                System.err.println("Unknown command '" + command + "'.\n\n" + help());
                System.exit(USAGE);
            }
        }
    }

    private static int usage(String message) {
        System.err.println(message);
        return USAGE;
    }

    private static void serve(String[] args) {
        ServeOptions options;
        try {
            options = ServeOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(USAGE);
            return;
        }
        LoadedConfig config = load(options.config());
        if (config == null) {
            System.exit(BAD_CONFIG);
        }
        Storage.quarkusProperties(config.spec().storage(), config.storagePassword()).forEach(System::setProperty);
        try {
            Files.createDirectories(options.data());
        } catch (java.io.IOException e) {
            System.err.println("Cannot create the data directory " + options.data() + ": " + e.getMessage());
            System.exit(BAD_CONFIG);
        }
        System.setProperty(dev.fundament.api.UnroutableRequests.ROUTER_DECIDES, "true");
        System.setProperty("quarkus.http.port", String.valueOf(options.port()));
        System.setProperty("quarkus.http.host", options.host());
        System.setProperty("fundament.data-dir", options.data().toAbsolutePath().toString());
        if (options.config() != null) {
            System.setProperty("fundament.config", options.config().toString());
        }
        Quarkus.run(FundamentMain.class, args);
    }

    static int check(String[] args) {
        try {
            ServeOptions options = ServeOptions.parse(args, System.getenv());
            if (load(options.config()) == null) {
                return BAD_CONFIG;
            }
            System.out.println("Configuration OK");
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return USAGE;
        }
    }

    /** @return the loaded configuration, or {@code null} after printing every problem */
    private static LoadedConfig load(Path config) {
        Path file = config != null ? config : Files.isRegularFile(Path.of("fundament.yaml")) ? Path.of("fundament.yaml") : null;
        try {
            LoadedConfig loaded = ConfigLoader.load(file, System.getenv());
            System.out.println("Fundament: configuration " + loaded.source() + " (hash " + loaded.hash().substring(0, 12)
                    + "), providers " + loaded.spec().providers().keySet() + ", models " + loaded.spec().models().keySet());
            return loaded;
        } catch (ConfigException e) {
            System.err.println("Fundament cannot start: " + e.getMessage());
            return null;
        }
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }

    static String help() {
        return """
                Fundament: one self-hosted, OpenAI-compatible entry point for a company's AI traffic.

                Usage:
                  fundament serve    [--port 8080] [--host 127.0.0.1] [--config FILE] [--data DIR]
                      Start the gateway. Without --config it reads FUNDAMENT_CONFIG, else ./fundament.yaml,
                      else built-in defaults (providers from OPENAI_API_KEY / OPENAI_BASE_URL,
                      ANTHROPIC_API_KEY, OLLAMA_BASE_URL; the in-process embedding model always).
                  fundament check    [--config FILE]
                      Validate a configuration and report every problem by YAML path.
                  fundament simulate --port P [--ttft 200ms] [--tokens-per-second 50]
                                     [--output-tokens uniform:20-200] [--error-rate 0.0]
                                     [--rate-limit-rate 0.0] [--fail-after-chunks N] [--stall-after-chunks N] [--seed N]
                      Run an OpenAI-compatible model simulator for load tests, at no token cost.
                  fundament eval guardrails --data DIR
                      Measure the guardrail detectors on labelled sets (precision, recall, F1, false positives).
                  fundament eval train-injection --data DIR --out FILE
                  fundament eval retrieval --beir DIR [--split dev]
                      Train the prompt-injection model from the labelled sets (reproducible), with a
                      cross-validated estimate of how it does on unseen prompts.

                """ + dev.fundament.cli.AdminCli.help();
    }

    /** Options of {@code serve} and {@code check}. */
    record ServeOptions(int port, String host, Path config, Path data) {

        static ServeOptions parse(String[] args, java.util.Map<String, String> env) {
            int port = 8080;
            String host = "127.0.0.1";
            String config = env.get("FUNDAMENT_CONFIG");
            String data = "data";
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                switch (flag) {
                    case "--port" -> port = port(value(args, ++i, flag));
                    case "--host" -> host = value(args, i = i + 1, flag);
                    case "--config" -> config = value(args, i = i + 1, flag);
                    case "--data" -> data = value(args, i = i + 1, flag);
                    default -> unknown.add(flag);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("Unknown option(s) " + unknown + ".\n\n" + help());
            }
            return new ServeOptions(port, host, config == null || config.isBlank() ? null : Path.of(config), Path.of(data));
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException("Option " + flag + " needs a value.");
            }
            return args[i];
        }

        private static int port(String text) {
            try {
                int p = Integer.parseInt(text);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port expects a number from 0 to 65535, got '" + text + "'.");
            }
        }
    }
}
