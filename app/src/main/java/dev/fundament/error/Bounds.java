package dev.fundament.error;

import java.util.Map;

/**
 * The bounds of every caller-supplied string that reaches storage, logs or metrics, and the one check
 * that enforces them. A value is refused with a 400 naming its parameter when it is longer than its
 * bound, or when it holds a control character or a lone UTF-16 surrogate (which no database column,
 * log line or JSON encoder stores faithfully).
 *
 * <p>Why here: a value the store cannot take must be refused at the edge, before it is journaled;
 * once journaled, the ledger and audit writers would have no way to store it (a 201-character model
 * name once wedged both). Each bound is at most the width of the narrowest column the value is
 * written to (see {@code db/migration}); {@code SchemaBoundsTest} reads the migrated schema and fails
 * if a column is narrower than what is admitted here. The package has no dependencies, so the edge
 * (api, admin), identity and the wire codec all check against the same numbers.
 */
public final class Bounds {

    /** Model names: ledger.model, audit_records.route, route_weights.model, shadow_results.model. */
    public static final int MODEL = 200;
    /** The chat {@code user} field: routing conditions and roll-out cohorts, forwarded upstream. */
    public static final int USER = 200;
    /** Request ids kept from {@code x-request-id}: ledger and audit take 128, shadow results 64. */
    public static final int REQUEST_ID = 64;
    /** A key's name and subject: api_keys.name/subject, ledger.subject, audit_records.subject. */
    public static final int KEY_NAME = 200;
    public static final int SUBJECT = 200;
    /** A key's metadata: entries, key and value lengths (api_keys.metadata holds the JSON, 4,000). */
    public static final int KEY_METADATA_ENTRIES = 16;
    public static final int KEY_METADATA_KEY = 40;
    public static final int KEY_METADATA_VALUE = 200;
    /** The whole of a key's metadata as stored (JSON, escapes included): api_keys.metadata. */
    public static final int KEY_METADATA_JSON = 4000;
    /** The {@code use_case} tag of a key's metadata: ledger.use_case. */
    public static final int TAG = 100;
    /** A key's allowed models, comma-joined: api_keys.allowed_models. */
    public static final int ALLOWED_MODELS_JOINED = 4000;
    /** A chat request's {@code metadata}: OpenAI's documented limits (16 pairs, 64-character keys, 512-character values). */
    public static final int REQUEST_METADATA_ENTRIES = 16;
    public static final int REQUEST_METADATA_KEY = 64;
    public static final int REQUEST_METADATA_VALUE = 512;
    /** Collection names: rag_collections.name. */
    public static final int COLLECTION = 100;
    /** Pushed documents: rag_documents.id (1,000), source (100), title (1,000), uri (2,000). */
    public static final int DOCUMENT_ID = 500;
    public static final int DOCUMENT_SOURCE = 100;
    public static final int DOCUMENT_TITLE = 1000;
    public static final int DOCUMENT_URI = 2000;
    /**
     * A pushed document's metadata as stored (JSON, escapes included): rag_documents.metadata takes
     * 1,000,000; a fifth of it leaves room for the markers redaction puts in place of personal data.
     */
    public static final int DOCUMENT_METADATA_JSON = 200_000;
    /** Team ids, from fundament.yaml (checked there): every team column (api_keys, ledger, audit_records, rate_limits). */
    public static final int TEAM = 64;
    /** Provider names, from fundament.yaml (checked there): ledger.provider, audit_records.provider. */
    public static final int PROVIDER = 100;
    /** A path segment naming a subject, team or key in the admin API (rate_limits.subject, audit target). */
    public static final int ADMIN_PATH_ID = 200;

    private Bounds() {
    }

    /**
     * @param value the caller's value, or {@code null} (accepted: absence is checked elsewhere)
     * @param max   the most characters allowed
     * @param param the parameter's path, named in the 400
     * @return {@code value}
     * @throws GatewayException 400 when the value is too long or holds a control character or lone surrogate
     */
    public static String check(String value, int max, String param) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' has " + value.length()
                    + " characters; at most " + max + " are allowed.", param);
        }
        String bad = problem(value);
        if (bad != null) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' contains " + bad
                    + "; remove it.", param);
        }
        return value;
    }

    /**
     * A path segment as the caller meant it: percent-escapes decoded as UTF-8 ({@code +} stays a plus,
     * as in any path), then {@link #check}ed. A malformed escape ({@code %zz}, a trailing {@code %}) or
     * bytes that are not UTF-8 are a 400 naming {@code param}, never a 500.
     */
    public static String pathSegment(String raw, int max, String param) {
        if (raw == null || raw.indexOf('%') < 0) {
            return check(raw, max, param);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            int next = raw.indexOf('%', i);
            if (next != i) {
                int end = next < 0 ? raw.length() : next;
                bytes.writeBytes(raw.substring(i, end).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' has a malformed percent-escape at"
                        + " position " + i + "; write '%' as %25.", param);
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        try {
            String decoded = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
            return check(decoded, max, param);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' does not decode to UTF-8 text.", param);
        }
    }

    /** Checks a map of strings: at most {@code entries} pairs, keys and values within their bounds. */
    public static Map<String, String> check(Map<String, String> map, int entries, int keyMax, int valueMax, String param) {
        if (map.size() > entries) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' has " + map.size()
                    + " entries; at most " + entries + " are allowed.", param);
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            check(e.getKey(), keyMax, param + " key");
            if (e.getKey().isEmpty()) {
                throw new GatewayException(ErrorKind.INVALID_REQUEST, "'" + param + "' has an empty key.", param);
            }
            check(e.getValue(), valueMax, param + "." + shortened(e.getKey()));
        }
        return map;
    }

    /**
     * Text a caller sends for a model to read (a prompt, an embedding input): any length the body limit
     * allows, but no NUL character or lone surrogate, which cannot be encoded for the upstream.
     *
     * @return {@code null} when the text is fine, else what is wrong with it
     */
    public static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "a NUL character (\\u0000) at position " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "a lone UTF-16 surrogate at position " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "a lone UTF-16 surrogate at position " + i;
            }
        }
        return null;
    }

    /** @return the first 40 characters of a value, for naming it in a message */
    public static String shortened(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /**
     * A caller's value fit to repeat in a message (and so in a log line): at most 100 characters,
     * control characters shown as {@code ?}, so a path or name cannot forge or colour log lines.
     */
    public static String quoted(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), 101));
        for (int i = 0; i < value.length() && i < 100; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c >= 0x7f && c <= 0x9f ? '?' : c);
        }
        return value.length() > 100 ? b.append('…').toString() : b.toString();
    }

    private static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                return String.format("a control character (\\u%04x) at position %d", (int) c, i);
            }
        }
        return textProblem(value);
    }
}
