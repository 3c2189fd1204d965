package painters.model.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The step prefixes a set of plans shares: the branch points of the trie of their executed steps
 * ({@link LayerPlan#flattened}). A prefix is a branch point when at least two of the plans start
 * with it and differ (or one ends) right after it, e.g. blocks 0..s-1 for every variant at split s,
 * {@code 0-2,P(3-9)} for parallel and looped parallel at split 3, or the first blocks two random
 * orders happen to share. Computing the state after each branch point once, from the state after
 * its own parent branch point, and every plan from its deepest branch point, runs every distinct
 * (prefix, step) of the grid exactly once.
 *
 * <p>A value: prefixes are lists of {@link Step.Run} / {@link Step.Parallel} steps (records, equal by
 * value).
 */
public final class PlanPrefixes {

    private final Set<List<Step>> branchPoints;

    /** The branch points of {@code plans} (any plans over the same blocks; duplicates are fine). */
    public PlanPrefixes(Collection<LayerPlan> plans) {
        List<List<Step>> seqs = new ArrayList<>(new LinkedHashSet<>(plans.stream()
                .map(p -> p.flattened().steps()).toList()));
        seqs.sort(LEXICOGRAPHIC);
        Set<List<Step>> bp = new HashSet<>();
        // in lexicographic order, the longest common prefixes of neighbours are all the pairwise ones
        for (int i = 1; i < seqs.size(); i++) {
            int l = commonPrefix(seqs.get(i - 1), seqs.get(i));
            if (l > 0) {
                bp.add(List.copyOf(seqs.get(i).subList(0, l)));
            }
        }
        this.branchPoints = Set.copyOf(bp);
    }

    /** Every branch point. */
    public Set<List<Step>> branchPoints() {
        return branchPoints;
    }

    /**
     * How many leading steps of {@code flat} (a flattened plan's steps) come from its deepest branch
     * point that leaves at least one step to run; 0 when it shares no prefix.
     */
    public int start(List<Step> flat) {
        for (int l = flat.size() - 1; l >= 1; l--) {
            if (branchPoints.contains(flat.subList(0, l))) {
                return l;
            }
        }
        return 0;
    }

    /** The deepest branch point strictly inside {@code prefix} (empty: none; it starts from the embeddings). */
    public List<Step> parent(List<Step> prefix) {
        return prefix.subList(0, start(prefix));
    }

    /** Branch points on the way to {@code prefix}, itself included if it is one, outermost first. */
    public List<List<Step>> chain(List<Step> prefix) {
        List<List<Step>> out = new ArrayList<>();
        for (int l = 1; l <= prefix.size(); l++) {
            List<Step> p = prefix.subList(0, l);
            if (branchPoints.contains(p)) {
                out.add(List.copyOf(p));
            }
        }
        return out;
    }

    /**
     * Plans ordered by their executed steps (lexicographically by block, a parallel step after the
     * runs it starts with), so plans sharing a prefix are next to each other and a state can be
     * dropped once the plans after it no longer start with it.
     */
    public static final Comparator<LayerPlan> TRIE_ORDER =
            Comparator.comparing((LayerPlan p) -> p.flattened().steps(), PlanPrefixes::compare);

    private static final Comparator<List<Step>> LEXICOGRAPHIC = PlanPrefixes::compare;

    private static int compare(List<Step> a, List<Step> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compare(Step a, Step b) {
        List<Integer> x = layers(a);
        List<Integer> y = layers(b);
        int n = Math.min(x.size(), y.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(x.size(), y.size());
        return c != 0 ? c : Boolean.compare(a instanceof Step.Parallel, b instanceof Step.Parallel);
    }

    private static List<Integer> layers(Step s) {
        if (s instanceof Step.Run r) {
            return List.of(r.layer());
        }
        if (s instanceof Step.Parallel p) {
            return p.layers();
        }
        throw new IllegalArgumentException("flattened plans have no loops: " + PlanText.print(s));
    }

    private static int commonPrefix(List<Step> a, List<Step> b) {
        int n = Math.min(a.size(), b.size());
        int l = 0;
        while (l < n && a.get(l).equals(b.get(l))) {
            l++;
        }
        return l;
    }
}
