package dev.fundament.guardrails.detect;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a value assigned to a credential-like name is a credential rather than code (a variable,
 * a call, a template), a placeholder ({@code changeme}, {@code <your-key>}, {@code xxxx}) or a word
 * a form or schema would use ({@code required}, {@code string}). The bar rises as the name gets
 * weaker: a password may be a short plain string, a token must not be a plain word, and a value
 * named only {@code key} or {@code login} must look random.
 */
final class SecretValues {

    private static final Set<String> WORDS = Set.of("null", "nil", "none", "true", "false", "undefined", "yes", "no", "on",
            "off", "required", "optional", "string", "str", "text", "hidden", "empty", "password", "passwd", "secret",
            "token", "changeme", "change_me", "example", "test", "dummy", "redacted", "masked", "sample", "placeholder",
            "default", "int", "bool", "boolean", "number", "object", "any", "void", "var", "let", "const", "new", "return",
            "function", "bytes", "char", "integer", "value", "username", "user", "admin_password", "enabled", "disabled",
            "type", "static", "final", "private", "public", "readonly");
    private static final String[] REFERENCES = {"process.env", "os.environ", "env.", "env[", "self.", "this.", "config.",
        "settings.", "props.", "request.", "params.", "secrets.", "vars.", "system.getenv", "getenv", "context.", "options.",
        "args.", "opts.", "data.", "window.", "document."};
    private static final String[] STEM_WORDS = {"password", "passwd", "secret", "token", "apikey", "key"};

    private static final java.util.regex.Pattern PY_FORMAT = java.util.regex.Pattern.compile("%\\([A-Za-z_]{1,40}\\)[sdr]");

    private SecretValues() {
    }

    static boolean credential(String v, SecretAssignments.Value where, SecretNames kind) {
        if (v.isEmpty() || code(v, where.quoted()) || placeholder(v)) {
            return false;
        }
        boolean random = random(v);
        if (where.spaceOnly()) {
            return kind != SecretNames.WEAK && v.length() >= 6 && hasDigit(v) && hasLetter(v) && !v.contains("/")
                    && (kind == SecretNames.PASSWORD || random);
        }
        return switch (kind) {
            case PASSWORD -> password(v, where.quoted());
            case SECRET -> random || (v.length() >= 8 && !v.contains(" ")
                    && (hasDigit(v) || where.quoted() && symbols(v) > 0) && !allDigits(v));
            case WEAK -> random;
            case NONE -> false;
        };
    }

    /** A value that prose introduced with "is": quoted, or unquoted with letters and digits. */
    static boolean proseValue(String v, boolean quoted) {
        if (code(v, quoted) || placeholder(v)) {
            return false;
        }
        return quoted ? v.length() >= 3 && v.indexOf(' ') < 0 || password(v, true) && v.indexOf(' ') < 0
                : hasDigit(v) && hasLetter(v) && !v.contains("/");
    }

    private static boolean password(String v, boolean quoted) {
        if (v.length() < 3 || (allDigits(v) && v.length() < 4)) {
            return false;
        }
        if (v.indexOf(' ') >= 0) {
            return quoted && v.length() <= 40 && spaces(v) <= 4 && v.equals(v.toLowerCase(Locale.ROOT))
                    && !v.endsWith(".") && !v.endsWith("?") && !v.endsWith(":");
        }
        if (quoted) {
            return true;
        }
        return hasDigit(v) || symbols(v) > 0 || !v.equals(v.toLowerCase(Locale.ROOT)) || v.length() >= 6;
    }

    /** Long enough and varied enough to be generated: at least 16 characters, letters and digits. */
    static boolean random(String v) {
        if (v.length() < 16 || v.indexOf(' ') >= 0 || !hasDigit(v) || !hasLetter(v)) {
            return false;
        }
        return Text.entropy(v) >= 3.0;
    }

    /** Variables, calls, templates and lookups: the value is elsewhere. */
    private static boolean code(String v, boolean quoted) {
        if (v.contains("${") || v.contains("{{") || v.contains("<%") || v.contains("$(") || PY_FORMAT.matcher(v).find()
                || v.contains("#{") || (v.startsWith("%") && v.endsWith("%")) || (v.startsWith("{") && v.endsWith("}"))
                || (v.startsWith("$") && v.length() > 1 && (Text.isAsciiLetter(v.charAt(1)) || v.charAt(1) == '_'))) {
            return true;
        }
        String l = v.toLowerCase(Locale.ROOT);
        for (String r : REFERENCES) {
            if (l.startsWith(r)) {
                return true;
            }
        }
        int paren = v.indexOf('(');
        if (paren > 0 && v.endsWith(")") && identifier(v, 0, paren)) {
            return true;
        }
        if (quoted) {
            return v.startsWith(".") || v.startsWith("+");
        }
        return paren >= 0 || v.indexOf('[') >= 0 || v.startsWith("!") || v.startsWith(".") || dotted(v);
    }

    private static boolean identifier(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            if (!Text.isAlnum(c) && c != '_' && c != '.' && c != '$') {
                return false;
            }
        }
        return to > from;
    }

    /** {@code response.data.token}: dotted words without digits, a property path. */
    private static boolean dotted(String v) {
        if (v.indexOf('.') <= 0 || hasDigit(v)) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!Text.isAsciiLetter(c) && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    static boolean placeholder(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        if (WORDS.contains(l) || l.contains("xxxx") || l.contains("****") || l.contains("...") || l.contains("your_")
                || l.contains("your-") || l.startsWith("your") || l.contains("<") || l.contains("changeme")
                || l.contains("placeholder") || l.contains("replace_") || l.contains("_here") || l.contains("-here")
                || sameChar(l)) {
            return true;
        }
        if (hasDigit(l) || l.length() > 16) {
            return false;
        }
        for (String w : STEM_WORDS) {
            if (l.contains(w) && letters(l) <= w.length() + 6) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameChar(String l) {
        for (int i = 1; i < l.length(); i++) {
            if (l.charAt(i) != l.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    private static int letters(String v) {
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            n += Text.isAsciiLetter(v.charAt(i)) ? 1 : 0;
        }
        return n;
    }

    private static int symbols(String v) {
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            n += Text.isAlnum(v.charAt(i)) ? 0 : 1;
        }
        return n;
    }

    private static int spaces(String v) {
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            n += v.charAt(i) == ' ' ? 1 : 0;
        }
        return n;
    }

    static boolean hasDigit(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Text.isDigit(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasLetter(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Text.isAsciiLetter(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (!Text.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
