package painters.model.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import painters.model.UserInputException;

/**
 * The step prefixes a set of plans shares: the branch points of the trie of their executed steps
 * ({@link LayerPlan#flattened}). A prefix is a branch point when at least two of the plans start
 * with it and differ (or one ends) right after it, e.g. blocks 0..s-1 for every variant at split s,
 * {@code 0-2,P(3-9)} for parallel and looped parallel at split 3, or the first blocks two random
 * orders happen to share. Computing the state after each branch point once, from the state after
 * its own parent branch point, and every plan from its deepest branch point, runs every distinct
 * (prefix, step) of the grid exactly once.
 *
 * <p>A parallel step {@code P(M)} after prefix p runs each block m of M on the state after p, which
 * is the first step of any plan that continues p with block m (reverse, middle repeat and random
 * orders at the same split). Such a {@code p + m} is a branch point too, and so are p and
 * {@code p + P(M)}, which is then computed from its {@link #members} (their mean) rather than by
 * running the step again.
 *
 * <p>A value: prefixes are lists of {@link Step.Run} / {@link Step.Parallel} / {@link Step.Merge} steps (records,
 * equal by value).
 */
public final class PlanPrefixes {

    private final Set<List<Step>> branchPoints;
    private final Set<List<Step>> fromMembers;

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
        // p + m is shared when a plan continues with it, or a second parallel step has block m after p
        Set<List<Step>> continued = new HashSet<>();
        Set<List<Step>> parallelPrefixes = new LinkedHashSet<>();
        for (List<Step> seq : seqs) {
            for (int k = 0; k < seq.size(); k++) {
                continued.add(List.copyOf(seq.subList(0, k)));
                if (seq.get(k) instanceof Step.Parallel) {
                    parallelPrefixes.add(List.copyOf(seq.subList(0, k + 1)));
                }
            }
        }
        Map<List<Step>, Integer> memberOf = new HashMap<>();
        for (List<Step> q : parallelPrefixes) {
            memberPrefixes(q).forEach(mp -> memberOf.merge(mp, 1, Integer::sum));
        }
        Set<List<Step>> fromMembers = new HashSet<>();
        for (List<Step> q : parallelPrefixes) {
            List<List<Step>> shared = memberPrefixes(q).stream()
                    .filter(mp -> continued.contains(mp) || memberOf.get(mp) > 1).toList();
            if (!shared.isEmpty()) {
                fromMembers.add(q);
                bp.add(q);
                bp.addAll(shared);
                if (q.size() > 1) {
                    bp.add(List.copyOf(q.subList(0, q.size() - 1)));    // the members' common input
                }
            }
        }
        this.branchPoints = Set.copyOf(bp);
        this.fromMembers = Set.copyOf(fromMembers);
    }

    /** {@code p + m} for every block m of the parallel step that ends {@code q = p + P(M)}. */
    private static List<List<Step>> memberPrefixes(List<Step> q) {
        List<Step> p = q.subList(0, q.size() - 1);
        List<List<Step>> out = new ArrayList<>();
        for (int m : ((Step.Parallel) q.get(q.size() - 1)).layers()) {
            List<Step> s = new ArrayList<>(p);
            s.add(new Step.Run(m));
            out.add(List.copyOf(s));
        }
        return out;
    }

    /**
     * For a branch point {@code p + P(M)} that shares the blocks of its parallel step with other plans:
     * the prefixes {@code p + m}, m in M in order, whose states it is the mean of
     * ({@code BlockStack.parallel}); otherwise empty (it is computed by running its steps).
     */
    public List<List<Step>> members(List<Step> branchPoint) {
        return fromMembers.contains(branchPoint) ? memberPrefixes(branchPoint) : List.of();
    }

    /**
     * Block applications per text to compute every branch point once and then every distinct plan of
     * {@code plans} from its deepest one (a member state that is no branch point itself is computed
     * for its parallel step only).
     */
    public int applications(Collection<LayerPlan> plans) {
        int n = 0;
        for (List<Step> bp : branchPoints) {
            List<List<Step>> members = members(bp);
            if (members.isEmpty()) {
                n += applications(bp.subList(start(bp), bp.size()));
            } else {
                n += (int) members.stream().filter(x -> !branchPoints.contains(x)).count();
            }
        }
        for (List<Step> flat : new LinkedHashSet<>(plans.stream().map(p -> p.flattened().steps()).toList())) {
            n += applications(flat.subList(start(flat), flat.size()));
        }
        return n;
    }

    private static int applications(List<Step> steps) {
        return steps.stream().mapToInt(Step::applications).sum();
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
     * dropped once the plans after it no longer start with it. At split s that runs the unmodified
     * continuation (block s+1 and everything below it) first, then the parallel step, whose member
     * states are then held only while the plans that start with one of its other blocks run.
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
        return c != 0 ? c : Integer.compare(kind(a), kind(b));
    }

    /** Runs first, then parallel steps, then merges, among steps over the same blocks. */
    private static int kind(Step s) {
        return s instanceof Step.Run ? 0 : s instanceof Step.Parallel ? 1 : 2;
    }

    private static List<Integer> layers(Step s) {
        if (s instanceof Step.Loop) {
            throw new UserInputException("flattened plans have no loops: " + PlanText.print(s));
        }
        return s.blocks();
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
