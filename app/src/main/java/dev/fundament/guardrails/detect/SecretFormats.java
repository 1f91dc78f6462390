package dev.fundament.guardrails.detect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials recognisable by their shape alone: a vendor's documented prefix or checksum marker
 * ({@code ghp_}, {@code xoxb-}, {@code sk_live_}, Microsoft's {@code JQQJ9} marker), webhook URLs
 * whose path is the secret, and OAuth client ids that are the public half of a credential pair.
 *
 * <p>Speed: instead of trying a long alternation at every character, the text is cut into runs of
 * non-space, non-delimiter characters; only runs of at least {@value #MIN_RUN} characters are
 * examined, and only at positions where a token can start. Ordinary prose has almost no such runs.
 * Every quantifier is bounded or followed by a character class that cannot overlap it, so a match
 * attempt is linear in the run length.
 */
final class SecretFormats {

    private static final int MIN_RUN = 16;

    private static final String[] FORMATS = {
        // cloud providers; access key ids (AKIA..., LTAI...) are half of a pair and pasted with it
        "(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}",
        "LTAI[A-Za-z0-9]{12,24}",
        "AKID[A-Za-z0-9]{32}",
        "AIza[0-9A-Za-z_-]{35}",
        "ya29\\.[0-9A-Za-z_-]{20,2000}",
        "1//0[0-9A-Za-z_-]{30,300}",
        "GOCSPX-[A-Za-z0-9_-]{20,60}",
        "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,300}",
        "(?:AccountKey|SharedAccessKey|SharedAccessSignature)=[A-Za-z0-9+/%]{20,200}={0,2}",
        "amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "00D[A-Za-z0-9]{12}![A-Za-z0-9._]{80,300}",
        // source hosting, package registries, CI, secret stores
        "gh[pousr]_[A-Za-z0-9]{36,255}",
        "github_pat_[A-Za-z0-9_]{40,255}",
        "gl(?:pat|dt|ptt|rt|soat|cbt|imt|ft|oas|agent|ffct|wt)-[A-Za-z0-9_-]{20,80}",
        "GR1348941[A-Za-z0-9_-]{20,40}",
        "ATATT3[A-Za-z0-9_=-]{50,300}",
        "ATBB[A-Za-z0-9]{28,60}",
        "AKCp[A-Za-z0-9]{60,80}",
        "cmVmdGtu[A-Za-z0-9]{50,80}",
        "npm_[A-Za-z0-9]{36}",
        "pypi-AgE[A-Za-z0-9_-]{50,300}",
        "rubygems_[a-f0-9]{48}",
        "oy2[a-z0-9]{43}",
        "CLOJARS_[a-z0-9]{60}",
        "cio[A-Za-z0-9]{32}",
        "dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,60}",
        "sq[upa]_[a-f0-9]{40}",
        "CCIPAT_[A-Za-z0-9_]{30,80}",
        "bkua_[a-f0-9]{40}",
        "pul-[a-f0-9]{40}",
        "sha256~[A-Za-z0-9_-]{43}",
        "hv[sbr]\\.[A-Za-z0-9_-]{24,300}",
        "[sb]\\.[A-Za-z0-9_-]{24,300}",
        "dp\\.(?:st|sa|ct|pt|scim|audit)\\.[A-Za-z0-9_.-]{30,80}",
        "do[opr]_v1_[a-f0-9]{64}",
        "dapi[a-f0-9]{32}(?:-\\d)?",
        "dt0[a-z]\\d{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}",
        "tskey-[A-Za-z0-9-]{20,80}",
        "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
        // chat and messaging
        "xox[abposre]-[A-Za-z0-9-]{10,250}",
        "xoxe\\.xox[bp]-[A-Za-z0-9-]{20,250}",
        "xapp-\\d-[A-Za-z0-9-]{10,250}",
        "[MNO][A-Za-z0-9]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}",
        // payment and commerce
        "(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,250}",
        "whsec_[A-Za-z0-9]{24,100}",
        "sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}",
        "EAA[A-Za-z0-9]{60,400}",
        "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
        "(?:shippo|duffel)_(?:live|test)_[A-Za-z0-9_-]{20,60}",
        "FLWSECK(?:_TEST)?-[a-f0-9]{32}-X",
        "EZ[AT]K[A-Za-z0-9]{54}",
        // e-mail, SMS, observability
        "SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}",
        "key-[0-9a-f]{32}",
        "xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
        "SK[0-9a-f]{32}",
        "AC[0-9a-f]{32}",
        "NR(?:AK|JS|II|AA)-[A-Za-z0-9]{20,40}",
        "px-(?:api|dep)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "glc_[A-Za-z0-9+/]{32,400}={0,2}",
        "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
        "eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2}",
        "sntry[su]_[A-Za-z0-9+/=_-]{40,400}",
        // AI providers
        "sk-(?:proj-|ant-(?:api|admin)\\d{2}-|svcacct-|admin-|or-v1-)?[A-Za-z0-9_-]{20,300}",
        "hf_[A-Za-z0-9]{30,60}",
        "r8_[A-Za-z0-9]{30,60}",
        "gsk_[A-Za-z0-9]{40,80}",
        "tvly-[A-Za-z0-9-]{20,60}",
        "pplx-[A-Za-z0-9]{40,60}",
        "fc-[a-f0-9]{32}",
        "xai-[A-Za-z0-9]{60,100}",
        "jina_[A-Za-z0-9_-]{40,100}",
        "nvapi-[A-Za-z0-9_-]{40,100}",
        "lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
        "pcsk_[A-Za-z0-9_]{40,100}",
        // other SaaS
        "lin_(?:api|oauth)_[A-Za-z0-9]{40}",
        "figd_[A-Za-z0-9_-]{40,60}",
        "aio_[A-Za-z0-9]{28}",
        "PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
        "ntn_[A-Za-z0-9]{40,60}",
        "secret_[A-Za-z0-9]{43}",
        "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,80}",
        "sbp_[a-f0-9]{40}",
        "nfp_[A-Za-z0-9]{36}",
        "rnd_[A-Za-z0-9]{32}",
        "CFPAT-[A-Za-z0-9_-]{43}",
        "tfp_[A-Za-z0-9_-]{40,60}",
        "pnu_[A-Za-z0-9]{36}",
        "rdme_[a-z0-9]{70}",
        "HRKU-[A-Za-z0-9_-]{30,80}",
        "ops_eyJ[A-Za-z0-9+/=_-]{100,2000}",
        "[pst]k\\.eyJ[A-Za-z0-9_-]{20,400}\\.[A-Za-z0-9_-]{10,100}",
        // webhook URLs: the path is the credential
        "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,200}",
        "https://(?:[a-z0-9-]{1,60}\\.webhook\\.office\\.com/webhookb2|outlook\\.office(?:365)?\\.com/webhook)"
            + "/[A-Za-z0-9@%-]{20,120}/IncomingWebhook/[A-Za-z0-9]{20,40}/[A-Za-z0-9-]{20,60}",
        "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{5,30}/[A-Za-z0-9_-]{20,100}",
        "https://hooks\\.zapier\\.com/hooks/catch/\\d{3,12}/[a-z0-9]{4,20}",
        "https://maker\\.ifttt\\.com/(?:trigger/[A-Za-z0-9_-]{1,80}/with/)?key/[A-Za-z0-9_-]{20,60}",
    };

    /** Formats without a literal prefix: tried only when the text holds their marker. */
    private static final String[][] MARKED = {
        {"googleusercontent", "\\d{6,14}-[a-z0-9]{32}\\.apps\\.googleusercontent\\.com"},
        {"JQQJ9", "[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{27}"},
        {"Q~", "[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}"},
        {".atlasv1.", "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,120}"},
        {":AA", "\\d{6,12}:AA[A-Za-z0-9_-]{32,34}"},
        {"-us", "[0-9a-f]{32}-us\\d{1,2}"},
    };

    private static final String END = "(?![A-Za-z0-9_-])";
    /** For each ASCII character, the formats that can start with it, as one alternation; null if none. */
    private static final Pattern[] BY_FIRST = byFirstCharacter();
    private static final Pattern[] MARKED_PATTERNS = java.util.Arrays.stream(MARKED)
            .map(m -> Pattern.compile("(?:" + m[1] + ")" + END)).toArray(Pattern[]::new);

    private SecretFormats() {
    }

    /**
     * Groups the formats by the characters they can start with. A format can start with {@code c}
     * when matching it against the one-character text {@code c} runs out of input rather than fails.
     */
    private static Pattern[] byFirstCharacter() {
        Pattern[] single = java.util.Arrays.stream(FORMATS).map(Pattern::compile).toArray(Pattern[]::new);
        Pattern[] table = new Pattern[128];
        for (char c = '0'; c < 128; c++) {
            StringBuilder alternation = new StringBuilder();
            for (int f = 0; f < FORMATS.length; f++) {
                Matcher m = single[f].matcher(String.valueOf(c));
                if (m.lookingAt() || m.hitEnd()) {
                    alternation.append(alternation.isEmpty() ? "" : "|").append(FORMATS[f]);
                }
            }
            table[c] = alternation.isEmpty() ? null : Pattern.compile("(?:" + alternation + ")" + END);
        }
        return table;
    }

    /** Adds every vendor-format credential in {@code s}. */
    static void find(String s, List<Finding> out, String detector) {
        Matcher[] matchers = new Matcher[128];
        List<Matcher> marked = new java.util.ArrayList<>(0);
        for (int k = 0; k < MARKED.length; k++) {
            if (s.contains(MARKED[k][0])) {
                marked.add(MARKED_PATTERNS[k].matcher(s).useTransparentBounds(true));
            }
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && delimiter(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !delimiter(s.charAt(i))) {
                i++;
            }
            if (i - start >= MIN_RUN) {
                scanRun(s, start, i, matchers, marked, out, detector);
            }
        }
    }

    private static void scanRun(String s, int start, int end, Matcher[] matchers, List<Matcher> marked, List<Finding> out,
            String detector) {
        int p = start;
        while (p <= end - MIN_RUN + 4) {
            char c = s.charAt(p);
            if (c < 128 && Text.isAlnum(c) && (p == start || !tokenChar(s.charAt(p - 1)))) {
                int found = match(s, p, end, c, matchers, marked);
                if (found > p) {
                    out.add(new Finding(Category.SECRET, detector, p, found, 0.95));
                    p = found;
                    continue;
                }
            }
            p++;
        }
    }

    /** @return the end of a format starting at {@code p}, or -1 */
    private static int match(String s, int p, int end, char c, Matcher[] matchers, List<Matcher> marked) {
        if (BY_FIRST[c] != null) {
            if (matchers[c] == null) {
                matchers[c] = BY_FIRST[c].matcher(s).useTransparentBounds(true);
            }
            Matcher m = matchers[c].region(p, end);
            if (m.lookingAt() && plausible(s, p, m.end())) {
                return m.end();
            }
        }
        for (Matcher m : marked) {
            if (m.region(p, end).lookingAt()) {
                return m.end();
            }
        }
        return -1;
    }

    private static boolean delimiter(char c) {
        return c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == '(' || c == ')' || c == '['
                || c == ']' || c == '{' || c == '}' || c == ',' || c == ';' || c == '|' || c == '\\';
    }

    private static boolean tokenChar(char c) {
        return Text.isAlnum(c) || c == '_' || c == '-';
    }

    /**
     * Second looks for the few formats whose prefix is also common in code: legacy Vault tokens
     * ({@code s.}/{@code b.} followed by a method name), and Grafana keys, whose base64 prefix is
     * shared by any JSON object that starts with a {@code "k"} field (Power BI report links).
     */
    private static boolean plausible(String s, int start, int end) {
        char c = s.charAt(start);
        if ((c == 's' || c == 'b') && s.charAt(start + 1) == '.') {
            return mixed(s, start + 2, end);
        }
        if (s.startsWith("eyJrIjoi", start)) {
            return grafanaKey(s.substring(start, end));
        }
        return true;
    }

    private static boolean mixed(String s, int start, int end) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
            digit |= Text.isDigit(c);
        }
        return lower && upper && digit;
    }

    private static boolean grafanaKey(String token) {
        String b64 = token.replace('-', '+').replace('_', '/');
        int usable = b64.length() - b64.length() % 4;
        String json;
        try {
            json = new String(Base64.getDecoder().decode(b64.substring(0, usable)), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return true;
        }
        return json.contains("\"n\"") || json.contains("\"id\"");
    }
}
