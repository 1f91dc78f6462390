package dev.fundament.guardrails;

import dev.fundament.guardrails.detect.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Settles overlapping findings: of findings that overlap, the most confident wins, then the longest,
 * so one value is acted on once. Whole-text findings (prompt injection) never clash.
 */
public final class Findings {

    private Findings() {
    }

    public static List<Finding> resolve(List<Finding> all) {
        if (all.size() < 2) {
            return all;
        }
        List<Finding> ranked = new ArrayList<>(all);
        ranked.sort(Comparator.comparingDouble(Finding::score).reversed()
                .thenComparing(Comparator.comparingInt(Finding::length).reversed()));
        List<Finding> kept = new ArrayList<>();
        for (Finding f : ranked) {
            boolean clash = false;
            if (f.category().spanned()) {
                for (Finding k : kept) {
                    if (k.category().spanned() && k.overlaps(f)) {
                        clash = true;
                        break;
                    }
                }
            }
            if (!clash) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }
}
