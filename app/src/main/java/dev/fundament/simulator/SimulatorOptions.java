package dev.fundament.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a simulator behaves, as given on {@code ./fundament simulate}'s command line. Immutable and
 * checked on construction, so a {@link Simulator} never meets a negative rate or length.
 *
 * <p>Faults are drawn once per inference request before any work: with probability
 * {@code errorRate} a 500, else with probability {@code rateLimitRate} a 429; their sum above 1 simply
 * means errors win.
 *
 * @param host              interface to listen on
 * @param port              TCP port; 0 lets the OS pick (read it from {@link Simulator#port()})
 * @param ttft              time to first token; also the latency of a non-streamed answer's first
 *                          token and of an embedding answer
 * @param tokensPerSecond   streaming pace after the first token; 0 sends every token at once
 * @param outputTokens      length of a text answer in tokens
 * @param errorRate         fraction of requests answered 500, 0..1
 * @param rateLimitRate     fraction of requests answered 429 with {@code Retry-After: 1}, 0..1
 * @param failAfterChunks   cut every stream after this many content chunks, without {@code [DONE]};
 *                          {@code null} never cuts
 * @param stallAfterChunks  after this many content chunks, send nothing more and keep the connection
 *                          open until the client leaves (an upstream that hangs mid-answer);
 *                          {@code null} never stalls
 * @param seed              seed of all randomness, {@code null} for a random one
 * @param embeddingDimensions length of an embedding when the request names no {@code dimensions}
 */
public record SimulatorOptions(String host, int port, Duration ttft, double tokensPerSecond, OutputLength outputTokens,
                               double errorRate, double rateLimitRate, Integer failAfterChunks, Integer stallAfterChunks, Long seed,
                               int embeddingDimensions) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9000;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    public SimulatorOptions {
        require(host != null && !host.isBlank(), "--host expects an interface name or address, got '" + host + "'.");
        require(port >= 0 && port <= 65535, "--port expects a number from 0 to 65535, got " + port + ".");
        require(ttft != null && !ttft.isNegative(), "--ttft expects a duration of zero or more, got " + ttft + ".");
        require(tokensPerSecond >= 0 && Double.isFinite(tokensPerSecond),
                "--tokens-per-second expects a number of zero or more (0 sends everything at once), got " + tokensPerSecond + ".");
        require(outputTokens != null, "--output-tokens expects " + OutputLength.FORMS + ".");
        require(errorRate >= 0 && errorRate <= 1, "--error-rate expects a fraction from 0 to 1, got " + errorRate + ".");
        require(rateLimitRate >= 0 && rateLimitRate <= 1,
                "--rate-limit-rate expects a fraction from 0 to 1, got " + rateLimitRate + ".");
        require(failAfterChunks == null || failAfterChunks >= 0,
                "--fail-after-chunks expects a number of zero or more, got " + failAfterChunks + ".");
        require(stallAfterChunks == null || stallAfterChunks >= 0,
                "--stall-after-chunks expects a number of zero or more, got " + stallAfterChunks + ".");
        require(embeddingDimensions >= 1 && embeddingDimensions <= Embeddings.MAX_DIMENSIONS,
                "--embedding-dimensions expects a number from 1 to " + Embeddings.MAX_DIMENSIONS + ", got " + embeddingDimensions + ".");
    }

    /** @return 127.0.0.1:9000, 200 ms to first token, 50 tokens/s, 20 to 200 tokens, no faults, random seed */
    public static SimulatorOptions defaults() {
        return new SimulatorOptions(DEFAULT_HOST, DEFAULT_PORT, Duration.ofMillis(200), 50, new OutputLength(20, 200),
                0, 0, null, null, null, 1536);
    }

    /**
     * Reads {@code ./fundament simulate}'s flags, each as {@code --flag value} or {@code --flag=value};
     * an absent flag keeps its {@link #defaults() default}.
     *
     * @throws IllegalArgumentException naming the flag and the form it expects
     */
    public static SimulatorOptions parse(String[] args) {
        SimulatorOptions d = defaults();
        String host = d.host();
        int port = d.port();
        Duration ttft = d.ttft();
        double tps = d.tokensPerSecond();
        OutputLength length = d.outputTokens();
        double errors = d.errorRate();
        double limits = d.rateLimitRate();
        Integer failAfter = d.failAfterChunks();
        Integer stallAfter = d.stallAfterChunks();
        Long seed = d.seed();
        int dimensions = d.embeddingDimensions();
        List<String> a = split(args);
        for (int i = 0; i < a.size(); i++) {
            String flag = a.get(i);
            switch (flag) {
                case "--host" -> host = value(a, ++i, flag);
                case "--port" -> port = integer(flag, value(a, ++i, flag), "a number from 0 to 65535");
                case "--ttft" -> ttft = duration(flag, value(a, ++i, flag));
                case "--tokens-per-second" -> tps = number(flag, value(a, ++i, flag), "a number of zero or more");
                case "--output-tokens" -> length = outputLength(flag, value(a, ++i, flag));
                case "--error-rate" -> errors = number(flag, value(a, ++i, flag), "a fraction from 0 to 1");
                case "--rate-limit-rate" -> limits = number(flag, value(a, ++i, flag), "a fraction from 0 to 1");
                case "--fail-after-chunks" -> failAfter = integer(flag, value(a, ++i, flag), "a number of zero or more");
                case "--stall-after-chunks" -> stallAfter = integer(flag, value(a, ++i, flag), "a number of zero or more");
                case "--seed" -> seed = seed(flag, value(a, ++i, flag));
                case "--embedding-dimensions" -> dimensions = integer(flag, value(a, ++i, flag), "a positive number");
                default -> throw new IllegalArgumentException("Unknown option '" + flag + "'.\n\n" + usage());
            }
        }
        return new SimulatorOptions(host, port, ttft, tps, length, errors, limits, failAfter, stallAfter, seed, dimensions);
    }

    static String usage() {
        return """
                Usage: fundament simulate [--port 9000] [--host 127.0.0.1] [--ttft 200ms] [--tokens-per-second 50]
                                          [--output-tokens uniform:20-200] [--error-rate 0] [--rate-limit-rate 0]
                                          [--fail-after-chunks N] [--stall-after-chunks N] [--seed N]
                                          [--embedding-dimensions 1536]
                  --ttft                  time to first token: 200ms, 1.5s, 1m or 0
                  --tokens-per-second     streaming pace after the first token; 0 sends everything at once
                  --output-tokens         answer length: N, fixed:N or uniform:A-B
                  --error-rate            fraction of requests answered 500 (0 to 1)
                  --rate-limit-rate       fraction of requests answered 429 with Retry-After: 1 (0 to 1)
                  --fail-after-chunks     cut every stream after N content chunks, without [DONE]
                  --stall-after-chunks    after N content chunks send nothing more, keeping the connection open
                  --seed                  seed for reproducible answers and faults (default: random)
                  --embedding-dimensions  embedding length when a request names no 'dimensions'
                """;
    }

    /** @return the options in one line, for the start-up banner */
    String summary() {
        return "ttft " + ttft.toMillis() + "ms, "
                + (tokensPerSecond == 0 ? "all tokens at once" : trim(tokensPerSecond) + " tokens/s")
                + ", output " + outputTokens + " tokens, error rate " + trim(errorRate)
                + ", rate-limit rate " + trim(rateLimitRate)
                + ", fail after " + (failAfterChunks == null ? "never" : failAfterChunks + " chunks")
                + (stallAfterChunks == null ? "" : ", stall after " + stallAfterChunks + " chunks")
                + ", seed " + (seed == null ? "random" : seed) + ", embeddings " + embeddingDimensions + " dimensions";
    }

    private static List<String> split(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                out.add(arg.substring(0, eq));
                out.add(arg.substring(eq + 1));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException("Option " + flag + " needs a value.\n\n" + usage());
        }
        return args.get(i);
    }

    private static int integer(String flag, String text, String expected) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects " + expected + ", got '" + text + "'.");
        }
    }

    private static double number(String flag, String text, String expected) {
        try {
            double d = Double.parseDouble(text.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " expects " + expected + ", got '" + text + "'.");
    }

    private static Long seed(String flag, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a whole number, got '" + text + "'.");
        }
    }

    private static OutputLength outputLength(String flag, String text) {
        try {
            return OutputLength.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " expects " + OutputLength.FORMS + ", got '" + text + "'.");
        }
    }

    /** Reads {@code 200ms}, {@code 1.5s}, {@code 1m} or {@code 0}; a bare number other than 0 is ambiguous. */
    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2);
            if (unit != null || amount == 0) {
                double millis = unit == null ? 0 : switch (unit) {
                    case "ms" -> amount;
                    case "s" -> amount * 1_000;
                    default -> amount * 60_000;
                };
                return Duration.ofNanos(Math.round(millis * 1_000_000));
            }
        }
        throw new IllegalArgumentException(flag + " expects a duration such as 200ms, 1.5s, 1m or 0, got '" + text + "'.");
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
