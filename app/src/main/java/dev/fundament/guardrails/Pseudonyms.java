package dev.fundament.guardrails;

import dev.fundament.guardrails.detect.Category;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of one request: each distinct value gets {@code <CATEGORY_n>} on first sight and
 * keeps it for the whole conversation the request carries (earlier turns are resent with each
 * request, so the numbering is the same turn after turn), and the answer gets the values back.
 */
public final class Pseudonyms {

    static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z]{2,10})_(\\d{1,4})>");
    /** The longest placeholder, for stream hold-back: {@code <INJECTION_9999>}. */
    static final int MAX_LENGTH = 16;

    private final Map<String, String> byValue = new HashMap<>();
    private final Map<String, String> byPlaceholder = new HashMap<>();
    private final Map<Category, Integer> counters = new HashMap<>();

    /** @return the placeholder of this value, assigning the next one of its category when new */
    String placeholder(Category category, String value) {
        return byValue.computeIfAbsent(category.name() + '\u0000' + value, k -> {
            int n = counters.merge(category, 1, Integer::sum);
            String p = "<" + category.placeholder() + "_" + n + ">";
            byPlaceholder.put(p, value);
            return p;
        });
    }

    public boolean isEmpty() {
        return byPlaceholder.isEmpty();
    }

    /** @return the text with every known placeholder replaced by its value; unknown ones stay */
    public String restore(String text) {
        if (byPlaceholder.isEmpty() || text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (m.find()) {
            String value = byPlaceholder.get(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
