package dev.fundament.guardrails.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Person names, by dictionary and context. The text is cut into <em>chains</em>: runs of
 * capitalised words joined by single spaces or hyphens, with middle initials ("Clara R. Dickson") and
 * name particles ("Dyan van Gijn") inside. A chain is a name when
 * <ul>
 * <li>a title ("Mrs.") or an introducer ("my name is", "Dear", "Regards,") stands before it;</li>
 * <li>it has two or more parts and a middle initial, or a known given name first, or a known or
 * name-shaped family name last ({@link PiiNameShape});</li>
 * <li>it is one known given name that is not also an everyday word ({@link PiiLexicon#COMMON});</li>
 * <li>it is one family name with a possessive ("Asya's kid") or a telling word before it
 * ("says Bergqvist");</li>
 * <li>it is in a list ("X, Y and Z", "X and Y") whose other members are names, or a speaker label
 * at the start of a line ("Nicole: ...") in a dialogue;</li>
 * <li>its single word was already part of a name found in the same text ("Maciej Borkowski ...
 * starring Borkowski").</li>
 * </ul>
 * A chain is never a name when a street or company word follows it ("Marina Fort Street", "Thomas
 * and Sons"), a house number follows or precedes it, it opens with a street word ("Via Tasso 129"),
 * or it is a place ("France"). A text without any capital letter is read the same way, with
 * dictionary words as the candidates, where a lone given name needs context.
 */
public final class PersonDetector implements Detector {

    private static final Set<String> TITLES = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "dame",
            "lady", "lord", "herr", "frau", "monsieur", "madame", "mme", "mlle", "signor", "signora", "señor", "señora", "sr",
            "sra", "don", "doña", "professor", "doctor", "rev", "fr", "capt", "captain", "sgt", "col", "gen", "president",
            "senator", "judge", "officer", "detective", "agent", "uncle", "aunt", "auntie", "grandma", "grandpa");
    /** Lower-case phrases that introduce a name; matched against the text right before a chain, whitespace ignored. */
    private static final List<String> INTRODUCERS = List.of("my name is", "name is", "names are", "name?", "name:", "name -",
            "i am", "i'm", "this is", "dear", "hi", "hello", "hey", "regards,", "sincerely,", "cheers,", "thanks,", "best,",
            "yours,", "wishes,", "signed", "called", "named", "call me", "known as", "ich bin", "ich heiße", "mein name ist",
            "hallo", "liebe", "lieber", "grüße,", "gruß,", "contact", "ask for", "speak to", "talk to", "attn:", "attention:",
            "from:", "to:", "cc:", "employee", "customer", "patient", "applicant", "mitarbeiter", "kunde", "kundin",
            "bewerber", "bewerberin", "my wife", "my husband", "my son", "my daughter", "my brother", "my sister",
            "my mother", "my father", "my friend", "my colleague", "my boss", "my partner", "my manager", "my doctor");
    private static final Set<String> PARTICLES = Set.of("van", "von", "de", "der", "den", "da", "di", "del", "della", "du",
            "dos", "das", "le", "la", "ter", "ten", "bin", "ibn", "al", "el", "zu", "vom", "y");

    private final NameDictionary names;

    public PersonDetector() {
        this.names = NameDictionary.INSTANCE;
    }

    @Override
    public String name() {
        return "person";
    }

    @Override
    public Set<Category> categories() {
        return Set.of(Category.PERSON);
    }

    @Override
    public void detect(String s, List<Finding> out) {
        boolean lowerText = true;
        for (int i = 0; i < s.length() && lowerText; i++) {
            lowerText = !Character.isUpperCase(s.charAt(i));
        }
        List<PiiTokens.Token> tokens = PiiTokens.tokenize(s);
        if (tokens.isEmpty()) {
            return;
        }
        List<Chain> chains = chains(s, tokens, lowerText);
        for (Chain c : chains) {
            c.score = decide(s, tokens, c);
            if (lowerText && c.parts.size() == 1 && c.score < 0.75) {
                c.score = 0; // without capitals, a lone given name needs context ("song", "ben" are in the lists)
            }
        }
        lists(s, chains);
        speakers(s, chains);
        repeated(chains);
        for (Chain c : chains) {
            if (c.score > 0 && !c.blocked) {
                out.add(new Finding(Category.PERSON, name(), tokens.get(c.first).start(), tokens.get(c.last - 1).end(), c.score));
            }
        }
    }

    /** A run of name-like tokens {@code [first, last)}; {@code parts} are its name words (no initials, no particles). */
    private static final class Chain {
        final int first;
        final int last;
        final List<PiiTokens.Token> parts;
        final boolean initial;
        boolean blocked;
        double score;

        Chain(int first, int last, List<PiiTokens.Token> parts, boolean initial) {
            this.first = first;
            this.last = last;
            this.parts = parts;
            this.initial = initial;
        }
    }

    private boolean candidate(PiiTokens.Token t, boolean lowerText) {
        if (t.initial() || PiiLexicon.FUNCTION.contains(t.key()) || TITLES.contains(t.key())) {
            return false;
        }
        if (lowerText) {
            return !PiiLexicon.COMMON.contains(t.key()) && (names.givenKey(t.key()) || names.familyKey(t.key()));
        }
        return t.capitalised();
    }

    private List<Chain> chains(String s, List<PiiTokens.Token> tokens, boolean lowerText) {
        List<Chain> chains = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            if (!candidate(tokens.get(i), lowerText)) {
                i++;
                continue;
            }
            List<PiiTokens.Token> parts = new ArrayList<>(4);
            parts.add(tokens.get(i));
            boolean initial = false;
            int j = i + 1;
            while (j < tokens.size() && parts.size() < 4 && PiiTokens.joined(s, tokens.get(j - 1), tokens.get(j))) {
                PiiTokens.Token t = tokens.get(j);
                int skip = 0;
                if (t.initial() && !lowerText || PARTICLES.contains(t.key()) && !t.capitalised()) {
                    skip = 1;
                } else if (PARTICLES.contains(t.key()) && j + 1 < tokens.size() && PARTICLES.contains(tokens.get(j + 1).key())) {
                    skip = 2; // "van de"
                }
                int k = j + skip;
                if (k >= tokens.size() || skip > 0 && !PiiTokens.joined(s, tokens.get(k - 1), tokens.get(k))
                        || !candidate(tokens.get(k), lowerText) || PiiLexicon.AFTER_NOT_PERSON.contains(tokens.get(k).key())) {
                    break;
                }
                initial |= t.initial();
                parts.add(tokens.get(k));
                j = k + 1;
            }
            chains.add(new Chain(i, j, parts, initial));
            i = j;
        }
        return chains;
    }

    /** @return the chain's score as a name on its own evidence, 0 if it is none yet; sets {@code blocked} if it can never be */
    private double decide(String s, List<PiiTokens.Token> tokens, Chain c) {
        PiiTokens.Token head = c.parts.getFirst();
        PiiTokens.Token tail = c.parts.getLast();
        PiiTokens.Token before = c.first > 0 ? tokens.get(c.first - 1) : null;
        PiiTokens.Token after = c.last < tokens.size() ? tokens.get(c.last) : null;
        int end = tail.end();
        if (PiiLexicon.STREET_PREFIX.contains(head.key()) || after != null && PiiTokens.joined(s, tail, after)
                && Character.isUpperCase(s.charAt(after.start())) && PiiLexicon.AFTER_NOT_PERSON.contains(after.key())
                || numberAround(s, head.start(), end)
                || allPlaces(c)) {
            c.blocked = true;
            return 0;
        }
        boolean titled = before != null && TITLES.contains(before.key()) && (PiiTokens.joined(s, before, head)
                || head.start() - before.end() == 2 && s.startsWith(". ", before.end()));
        if (titled || introduced(s, head.start())) {
            return 0.85;
        }
        int n = c.parts.size();
        if (n >= 2) {
            if (c.initial || given(head) || PiiNameShape.romaji(head.key()) && PiiNameShape.romaji(tail.key())) {
                return 0.9;
            }
            boolean familyTail = family(tail) || PiiNameShape.family(tail.key());
            // an unknown first word before a family name is most often a given name the lists lack ("Maciej Borkowski")
            boolean nameHead = !PiiLexicon.COMMON.contains(head.key()) && !names.placeKey(head.key());
            return familyTail && nameHead ? 0.8 : 0;
        }
        if (given(head) && !names.placeKey(head.key())) {
            return 0.7;
        }
        boolean familyLike = family(head) || PiiNameShape.family(head.key()) || names.givenKey(head.key());
        if (familyLike && (head.possessive() || before != null && PiiLexicon.BEFORE_PERSON.contains(before.key()))) {
            return 0.75;
        }
        return 0;
    }

    private boolean given(PiiTokens.Token t) {
        return names.givenKey(t.key()) && !PiiLexicon.COMMON.contains(t.key());
    }

    private boolean family(PiiTokens.Token t) {
        return names.familyKey(t.key()) && !PiiLexicon.COMMON.contains(t.key());
    }

    private boolean allPlaces(Chain c) {
        for (PiiTokens.Token t : c.parts) {
            if (!names.placeKey(t.key())) {
                return false;
            }
        }
        return true;
    }

    /** A house number right before or after ("1668 Glyn St", "Erzsébet tér 19") marks a street, not a person. */
    private static boolean numberAround(String s, int start, int end) {
        boolean numberBefore = start >= 2 && s.charAt(start - 1) == ' ' && Text.isDigit(s.charAt(start - 2));
        boolean numberAfter = end + 1 < s.length() && s.charAt(end) == ' ' && Text.isDigit(s.charAt(end + 1));
        return numberBefore || numberAfter;
    }

    private static boolean introduced(String s, int at) {
        int k = at;
        while (k > 0 && Character.isWhitespace(s.charAt(k - 1))) {
            k--;
        }
        if (k == at) {
            return false;
        }
        for (String intro : INTRODUCERS) {
            int from = k - intro.length();
            if (from >= 0 && s.regionMatches(true, from, intro, 0, intro.length())
                    && (from == 0 || !Character.isLetter(s.charAt(from - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Members of a list ("X, Y and Z", "X and Y") are all names when half of them look like one: a
     * name found on its own, or a known or name-shaped word.
     */
    private void lists(String s, List<Chain> chains) {
        int i = 0;
        while (i < chains.size()) {
            int j = i + 1;
            while (j < chains.size()
                    && listGap(s, chains.get(j - 1).parts.getLast().end(), chains.get(j).parts.getFirst().start())) {
                j++;
            }
            if (j - i >= 2) {
                int named = 0;
                for (int k = i; k < j; k++) {
                    Chain c = chains.get(k);
                    String key = c.parts.getLast().key();
                    named += c.score > 0 || names.givenKey(key) || names.familyKey(key) || PiiNameShape.family(key) ? 1 : 0;
                }
                if (2 * named >= j - i) {
                    for (int k = i; k < j; k++) {
                        Chain c = chains.get(k);
                        c.score = c.blocked ? 0 : Math.max(c.score, 0.75);
                    }
                }
            }
            i = j;
        }
    }

    private static boolean listGap(String s, int from, int to) {
        int len = to - from;
        return len == 2 && s.startsWith(", ", from) || len == 5 && (s.startsWith(" and ", from) || s.startsWith(", or", from))
                || len == 6 && s.startsWith(", and ", from) || len == 3 && s.startsWith(" & ", from)
                || len == 4 && s.startsWith(" or ", from);
    }

    /** Speaker labels at line starts ("Nicole: ..."): names when the text has two or more, or when the word is a known name. */
    private void speakers(String s, List<Chain> chains) {
        int labels = 0;
        for (Chain c : chains) {
            labels += speaker(s, c) ? 1 : 0;
        }
        for (Chain c : chains) {
            PiiTokens.Token head = c.parts.getFirst();
            if (speaker(s, c) && !PiiLexicon.COMMON.contains(head.key()) && (labels >= 2 || names.givenKey(head.key())
                    || names.familyKey(head.key()))) {
                c.score = Math.max(c.score, 0.8);
            }
        }
    }

    private static boolean speaker(String s, Chain c) {
        int start = c.parts.getFirst().start();
        int end = c.parts.getLast().end();
        if (c.blocked || end + 1 >= s.length() || s.charAt(end) != ':' || s.charAt(end + 1) != ' ') {
            return false;
        }
        int k = start;
        while (k > 0 && (s.charAt(k - 1) == ' ' || s.charAt(k - 1) == '>')) {
            k--;
        }
        return k == 0 || s.charAt(k - 1) == '\n';
    }

    /** A lone word that was part of a name found elsewhere in the text is that name again. */
    private static void repeated(List<Chain> chains) {
        Set<String> found = null;
        for (Chain c : chains) {
            if (c.score > 0 && !c.blocked) {
                for (PiiTokens.Token t : c.parts) {
                    if (t.key().length() > 2 && !PiiLexicon.COMMON.contains(t.key())) {
                        found = found == null ? new HashSet<>() : found;
                        found.add(t.key());
                    }
                }
            }
        }
        if (found == null) {
            return;
        }
        for (Chain c : chains) {
            if (c.score == 0 && !c.blocked && c.parts.size() == 1 && found.contains(c.parts.getFirst().key())) {
                c.score = 0.75;
            }
        }
    }
}
