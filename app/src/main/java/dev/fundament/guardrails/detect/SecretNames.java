package dev.fundament.guardrails.detect;

import java.util.Locale;
import java.util.Set;

/**
 * How strongly a variable, field, header or flag name says that its value is a credential. The name
 * is split into words at {@code _ . -} and camel-case humps ({@code postmarkApiToken} is
 * {@code postmark api token}); the strongest word decides, unless the last word says the value is
 * about the credential rather than the credential itself ({@code password_label}, {@code token_url},
 * {@code api_key_id}, {@code max_tokens}).
 */
enum SecretNames {
    /** Not a credential name. */
    NONE,
    /** Names that hold a credential only when the value is a high-entropy token: {@code key}, {@code login}. */
    WEAK,
    /** Tokens and keys: {@code token}, {@code secret}, {@code api_key}, {@code authorization}. */
    SECRET,
    /** Passwords, which people choose and which may be short or plain words. */
    PASSWORD;

    /** Lower-case stems searched for in the text to find candidate names cheaply. */
    static final String[] STEMS = {"pass", "pwd", "secret", "token", "key", "auth", "cred", "login", "bearer", "crumb", "pat",
        "api"};

    private static final Set<String> PASSWORD_WORDS = Set.of("pass", "pwd", "passwd", "passphrase", "passcode", "passwort",
            "kennwort", "contrasena", "senha", "motdepasse", "pw");
    private static final Set<String> KEY_QUALIFIERS = Set.of("api", "access", "secret", "private", "license", "licence",
            "master", "signing", "sign", "auth", "encryption", "encrypt", "deploy", "app", "client", "consumer", "server",
            "service", "subscription", "account", "shared", "ssl", "ssh", "crypto", "hmac", "jwt", "session", "webhook",
            "storage", "admin", "root", "write", "ingest", "rest", "sdk", "integration", "personal", "user", "dev", "prod",
            "live", "test", "partner", "merchant", "publishable", "management", "primary", "secondary", "cipher", "aes");
    private static final Set<String> STOP_LAST = Set.of("label", "labels", "text", "txt", "field", "fields",
            "placeholder", "hint", "prompt", "title", "message", "msg", "name", "names", "type", "types", "url", "uri",
            "urls", "endpoint", "path", "file", "filename",
            "dir", "length", "len", "size", "count", "id", "ids", "format", "pattern", "regex", "policy", "expiry",
            "expires", "expiration", "exp", "ttl", "timeout", "lifetime", "header", "prefix", "suffix", "enabled",
            "required", "reset", "rotation", "version", "mode", "env", "var", "limit", "max", "min", "index", "column",
            "param", "input", "button", "btn", "icon", "class", "style", "error", "errors", "ref", "arn", "provider",
            "method", "manager", "store", "location", "helper", "handler", "validator", "validation", "strength",
            "hash", "hashed", "changed", "updated", "created", "at", "date", "time", "expire", "expired", "valid",
            "invalid", "visible", "visibility", "toggle", "show", "hide", "form", "request", "response", "schema",
            "description", "desc", "link", "host", "user", "username", "email", "attempts", "retries", "generator",
            "factory", "callback", "event", "listener", "cache", "list", "module", "component", "view", "page",
            "route", "controller", "model", "dto", "spec", "mock", "fake", "dummy", "kind", "source", "pair", "pairs",
            "usage", "flow", "grant", "scope", "scopes", "audience", "issuer", "algorithm", "alg", "bytes", "bits",
            "tokenizer", "budget", "rate", "rule", "rules", "check", "selector");
    private static final Set<String> STOP_FIRST = Set.of("max", "min", "num", "is", "has", "show", "hide", "toggle",
            "validate", "check", "verify", "forgot", "forget", "reset", "use", "enable", "require", "total", "count");

    /** Classifies the name spelled by {@code s} between {@code start} and {@code end}. */
    static SecretNames of(String s, int start, int end) {
        String[] words = words(s, start, end);
        if (words.length == 0 || STOP_LAST.contains(words[words.length - 1])
                || (words.length > 1 && STOP_FIRST.contains(words[0]))) {
            return NONE;
        }
        SecretNames best = NONE;
        for (int i = 0; i < words.length; i++) {
            SecretNames kind = word(words[i], i > 0 ? words[i - 1] : "", i == words.length - 1);
            if (kind.ordinal() > best.ordinal()) {
                best = kind;
            }
        }
        return best;
    }

    private static SecretNames word(String w, String previous, boolean last) {
        if (PASSWORD_WORDS.contains(w) || w.contains("password") || w.contains("passwd") || w.contains("passwort")
                || (w.endsWith("pwd") && w.length() <= 8)) {
            return PASSWORD;
        }
        if (w.contains("secret") || (w.contains("token") && !w.contains("tokens") && !w.contains("tokeniz"))
                || w.equals("apikey") || w.equals("bearer") || w.equals("authorization")) {
            return SECRET;
        }
        if (w.endsWith("key") && w.length() > 3) {
            String qualifier = w.substring(0, w.length() - 3);
            return KEY_QUALIFIERS.contains(qualifier) ? SECRET : NONE;
        }
        if (w.equals("key")) {
            return KEY_QUALIFIERS.contains(previous) ? SECRET : WEAK;
        }
        if (w.equals("login") || w.equals("crumb") || w.equals("pat") || w.equals("auth") || w.equals("credential")
                || w.equals("credentials") || w.equals("creds") || (w.equals("api") && last)) {
            return WEAK;
        }
        return NONE;
    }

    /** Splits a name into lower-case words at separators, camel-case humps, and a leading flag dash. */
    static String[] words(String s, int start, int end) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(4);
        int from = start;
        for (int i = start; i <= end; i++) {
            boolean cut = i == end || !Text.isAlnum(s.charAt(i));
            boolean hump = !cut && i > from && Character.isUpperCase(s.charAt(i)) && Character.isLowerCase(s.charAt(i - 1));
            if (cut || hump) {
                if (i > from) {
                    out.add(s.substring(from, i).toLowerCase(Locale.ROOT));
                }
                from = cut ? i + 1 : i;
            }
        }
        return out.toArray(String[]::new);
    }
}
