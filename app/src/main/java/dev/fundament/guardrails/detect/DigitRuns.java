package dev.fundament.guardrails.detect;

/**
 * Walks runs of digits that may be broken by single separators (space, dash, dot, slash), as card,
 * phone and id numbers are written. A run is reported with its span and digit count.
 */
final class DigitRuns {

    interface Visitor {
        void run(int start, int end, int digits);
    }

    private DigitRuns() {
    }

    /**
     * @param separators the characters allowed singly between digit groups
     */
    static void scan(String s, String separators, Visitor visitor) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!Text.isDigit(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int digits = 0;
            int end = i;
            while (i < n) {
                char c = s.charAt(i);
                if (Text.isDigit(c)) {
                    digits++;
                    i++;
                    end = i;
                } else if (separators.indexOf(c) >= 0 && i + 1 < n && Text.isDigit(s.charAt(i + 1))) {
                    i++;
                } else {
                    break;
                }
            }
            visitor.run(start, end, digits);
        }
    }
}
