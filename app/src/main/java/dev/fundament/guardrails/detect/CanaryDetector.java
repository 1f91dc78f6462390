package dev.fundament.guardrails.detect;

import java.text.Normalizer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Customer-data canaries: configured terms (customer names exported from a CRM, project code names,
 * internal hostnames) that must not leave, or must not come back out. Matching is case-insensitive,
 * on word boundaries, in one pass over the text whatever the number of terms (a trie walked from
 * each word start). White space inside a term matches any run of white space, so
 * {@code Globex  Corporation} and a name broken over two lines are still the term; terms are read in
 * the same normal form (NFKC) as the text the guardrails scan.
 */
public final class CanaryDetector implements Detector {

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        boolean terminal;
    }

    private final String name;
    private final Node root = new Node();

    /** @param name the dictionary's name from the configuration, as decisions show it */
    public CanaryDetector(String name, Collection<String> terms) {
        this.name = name;
        for (String term : terms) {
            String t = Normalizer.normalize(term, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[\\s\\p{Zs}]+", " ");
            if (t.isEmpty()) {
                continue;
            }
            Node node = root;
            for (int i = 0; i < t.length(); i++) {
                node = node.next.computeIfAbsent(t.charAt(i), c -> new Node());
            }
            node.terminal = true;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.CANARY);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        int n = s.length();
        for (int start = 0; start < n; start++) {
            if (start > 0 && Character.isLetterOrDigit(s.charAt(start - 1))) {
                continue;
            }
            Node node = root;
            int match = -1;
            for (int i = start; i < n; i++) {
                char c = s.charAt(i);
                if (space(c)) {
                    node = node.next.get(' ');
                    while (i + 1 < n && space(s.charAt(i + 1))) {
                        i++;
                    }
                } else {
                    node = node.next.get(Character.toLowerCase(c));
                }
                if (node == null) {
                    break;
                }
                if (node.terminal && (i + 1 == n || !Character.isLetterOrDigit(s.charAt(i + 1)))) {
                    match = i + 1;
                }
            }
            if (match > 0) {
                out.add(new Finding(Category.CANARY, name, start, match, 1.0));
                start = match - 1;
            }
        }
    }

    private static boolean space(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
