package dev.fundament.config;

import java.util.Locale;

/** A size in bytes, written in YAML as {@code 4MiB}, {@code 512KiB}, {@code 1GiB}, {@code 100KB} or bytes. */
public record DataSize(long bytes) {

    /** @return the size, or {@code null} when the text is not a size */
    public static DataSize parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
            {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long value = Long.parseLong(t);
            return value < 0 ? null : new DataSize(Math.multiplyExact(value, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
