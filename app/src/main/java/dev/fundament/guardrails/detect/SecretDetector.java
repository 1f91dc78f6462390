package dev.fundament.guardrails.detect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials in text a person pastes into a chat: private key blocks, JSON web tokens, password
 * hashes, passwords in URLs and {@code curl -u}, {@code Authorization} header values, tokens in a
 * vendor's documented format ({@link SecretFormats}), and values given to a credential-like name
 * ({@link SecretAssignments}).
 *
 * <p>Generic rules come first in importance: a new vendor's key is still caught when it is assigned
 * to {@code *_TOKEN}, {@code *_SECRET} or {@code apiKey}, sent as a bearer token, or embedded in a
 * URL. The vendor table only adds keys that appear bare.
 *
 * <p>Resource identifiers are deliberately not reported: AWS ARNs, account ids, bucket names and
 * storage URLs, and public keys. They are not secret (AWS documents account ids as such), and
 * redacting them would break the common request "why does this IAM policy fail". Identifiers that
 * are one half of a credential pair and rarely appear without the other half (AWS access key ids,
 * Google OAuth client ids, Twilio account SIDs) are reported, so a pasted pair is fully redacted.
 *
 * <p>Runs on every request: each rule starts with a cheap {@code indexOf} check, the vendor table
 * only looks at long unbroken tokens, and every quantifier is bounded. A 2 KB message takes a few
 * microseconds when it holds no candidates.
 */
public final class SecretDetector implements Detector {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]{0,8000}?-----END[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----)?");
    private static final Pattern PUTTY_KEY = Pattern.compile("PuTTY-User-Key-File-\\d: [^\\n]{1,40}\\n[\\s\\S]{0,4000}?Private-Lines: \\d{1,3}");
    private static final Pattern JWT = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{8,4000}+\\.ey[A-Za-z0-9_-]{8,8000}+\\.[A-Za-z0-9_-]{8,2000}+");
    private static final Pattern CRYPT_HASH = Pattern.compile("\\$(?:1|2[abxy]|5|6|apr1|md5|y|7|gy)\\$(?:rounds=\\d{1,7}\\$)?"
            + "[./A-Za-z0-9]{1,64}\\$[./A-Za-z0-9]{20,120}|\\$2[abxy]\\$\\d{2}\\$[./A-Za-z0-9]{53}"
            + "|\\$argon2(?:id|i|d)\\$v=\\d{1,3}\\$m=\\d{1,8},t=\\d{1,4},p=\\d{1,3}\\$[A-Za-z0-9+/]{8,100}\\$[A-Za-z0-9+/]{16,200}"
            + "|pbkdf2_sha(?:1|256|512)\\$\\d{3,7}\\$[A-Za-z0-9./+]{4,64}\\$[A-Za-z0-9./+=]{20,200}");
    private static final Pattern AUTH_VALUE = Pattern.compile("\\s{1,3}([A-Za-z0-9._~+/=-]{16,4000})");
    /**
     * {@code connect("host", "user", "password")}, {@code login('user', 'pa55')}: the last string
     * literal of a login-like call; with only two arguments it must contain a digit.
     */
    private static final Pattern LOGIN_ARGS = Pattern.compile("\\(\\s{0,20}(?<first>(?:([\"'])[^\"'\\n]{1,200}\\2"
            + "|[A-Za-z_][A-Za-z0-9_.]{0,60})\\s{0,20},\\s{0,20})?([\"'])[^\"'\\n]{1,100}\\3\\s{0,20},\\s{0,20}([\"'])"
            + "(?<password>[^\"'\\n]{3,100})\\4\\s{0,20}[,)]");
    private static final String[] LOGIN_CALLS = {"connect", "directoryentry", "login", "logon", "auth", "credential"};
    private static final Pattern CURL_USER = Pattern.compile("[ =]['\"]?([^\\s:'\"$]{1,100}):([^\\s'\"@$]{3,200})");

    @Override
    public String name() {
        return "secret";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.SECRET);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        if (s.contains("PRIVATE KEY")) {
            add(PRIVATE_KEY.matcher(s), 0, out, 1.0);
        }
        if (s.contains("PuTTY-User-Key-File")) {
            add(PUTTY_KEY.matcher(s), 0, out, 1.0);
        }
        for (int i = s.indexOf("eyJ"); i >= 0; i = s.indexOf("eyJ", i + 3)) {
            Matcher m = JWT.matcher(s).region(i, s.length());
            if ((i == 0 || !tokenChar(s.charAt(i - 1))) && m.lookingAt()) {
                out.add(new Finding(Category.SECRET, name(), i, m.end(), 0.95));
                i = m.end() - 3;
            }
        }
        if (s.indexOf('$') >= 0 || s.contains("pbkdf2_")) {
            add(CRYPT_HASH.matcher(s), 0, out, 0.9);
        }
        if (s.contains("://")) {
            urlPasswords(s, out);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"bearer", "basic", "token"}) {
            for (int i = lower.indexOf(scheme); i >= 0; i = lower.indexOf(scheme, i + 1)) {
                authScheme(s, i, scheme, out);
            }
        }
        for (String flag : new String[] {"-u", "--user", "--proxy-user"}) {
            for (int i = s.indexOf(flag); i >= 0; i = s.indexOf(flag, i + 1)) {
                Matcher m = CURL_USER.matcher(s).region(i + flag.length(), s.length());
                if ((i == 0 || Character.isWhitespace(s.charAt(i - 1))) && m.lookingAt()) {
                    out.add(new Finding(Category.SECRET, name(), m.start(2), m.end(2), 0.85));
                }
            }
        }
        if (s.contains("(\"") || s.contains("('")) {
            loginCalls(s, lower, out);
        }
        SecretFormats.find(s, out, name());
        SecretAssignments.find(s, lower, out, name());
    }

    private void add(Matcher m, int group, List<Finding> out, double score) {
        while (m.find()) {
            out.add(new Finding(Category.SECRET, name(), m.start(group), m.end(group), score));
        }
    }

    private void loginCalls(String s, String lower, List<Finding> out) {
        Matcher m = LOGIN_ARGS.matcher(s);
        for (int p = s.indexOf('('); p > 0; p = s.indexOf('(', p + 1)) {
            int from = p;
            while (from > 0 && p - from < 40 && (Text.isAlnum(s.charAt(from - 1)) || s.charAt(from - 1) == '_')) {
                from--;
            }
            String call = lower.substring(from, p);
            boolean login = false;
            for (String c : LOGIN_CALLS) {
                login |= call.contains(c);
            }
            if (login && m.region(p, s.length()).lookingAt() && !m.group("password").startsWith("$")
                    && (m.group("first") != null || SecretValues.hasDigit(m.group("password")))) {
                out.add(new Finding(Category.SECRET, name(), m.start("password"), m.end("password"), 0.8));
            }
        }
    }

    /** {@code scheme://user:password@host}: the password, unless it is a variable or a mask. */
    private void urlPasswords(String s, List<Finding> out) {
        for (int at = s.indexOf("://"); at >= 0; at = s.indexOf("://", at + 3)) {
            int from = at + 3;
            int end = from;
            int lastAt = -1;
            while (end < s.length() && end - from < 300 && !authorityEnd(s.charAt(end))) {
                if (s.charAt(end) == '@') {
                    lastAt = end;
                }
                end++;
            }
            if (lastAt < 0) {
                continue;
            }
            int colon = s.indexOf(':', from);
            if (colon < 0 || colon >= lastAt || colon == from) {
                continue;
            }
            String password = s.substring(colon + 1, lastAt);
            if (password.length() >= 2 && !password.startsWith("$") && !password.startsWith("{") && !password.startsWith("<")
                    && !password.startsWith("%") && !SecretValues.placeholder(password) || password.equals("secret")
                    || password.equals("password")) {
                out.add(new Finding(Category.SECRET, name(), colon + 1, lastAt, 0.9));
            }
        }
    }

    private static boolean tokenChar(char c) {
        return Text.isAlnum(c) || c == '_' || c == '-';
    }

    private static boolean authorityEnd(char c) {
        return c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>'
                || c == ',' || c == ';' || c == ')';
    }

    /** {@code Bearer <token>}, {@code token <token>}, and {@code Basic} with a base64 {@code user:password}. */
    private void authScheme(String s, int at, String scheme, List<Finding> out) {
        if (Text.wordAt(s, at - 1) || Text.wordAt(s, at + scheme.length())) {
            return;
        }
        Matcher m = AUTH_VALUE.matcher(s).region(at + scheme.length(), s.length());
        if (!m.lookingAt()) {
            return;
        }
        String value = m.group(1);
        boolean found = scheme.equals("basic") ? basicCredentials(value)
                : SecretValues.random(value) && !SecretValues.placeholder(value);
        if (found) {
            out.add(new Finding(Category.SECRET, name(), m.start(1), m.end(1), 0.85));
        }
    }

    private static boolean basicCredentials(String value) {
        try {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            return decoded.indexOf(':') > 0 && decoded.indexOf(':') < decoded.length() - 1;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
