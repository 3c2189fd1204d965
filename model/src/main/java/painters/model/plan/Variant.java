package painters.model.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import painters.model.UserInputException;

/**
 * The frozen variants of Sun et al. (2024), as plan factories. The six main ones change the middle
 * block M of a {@link Split} and keep F and L; single-layer skip and neighbour switch act on one block
 * n; in-place repeat runs every block of M k times where it stands (appendix); merge runs one block averaged
 * from M's.
 */
public enum Variant {
    /** Drop M: block s feeds block T-s. */
    SKIP,
    /** Replace M by the centre block floor(T/2) run |M| times (tied weights). */
    MIDDLE_REPEAT,
    /** Run M in reverse order. */
    REVERSE,
    /** Run M in a seeded random permutation. */
    RANDOM,
    /** Run every block of M on the same input and average their outputs (residual included). */
    PARALLEL,
    /** Apply the parallel step of M R times, feeding its output back. */
    LOOPED_PARALLEL,
    /** Run each block of M k times in place (appendix: 2x, 3x). */
    REPEAT_IN_PLACE,
    /**
     * Replace M by one block whose every tensor is the mean of M's (beyond the paper: the merging its motivation
     * asks about; one block application where parallel runs |M|).
     */
    MERGE;

    /** The six variants of the paper's main figure. */
    public static final List<Variant> MAIN = List.of(SKIP, MIDDLE_REPEAT, REVERSE, RANDOM, PARALLEL, LOOPED_PARALLEL);

    /** Default loop count of looped parallel in the paper's main figures. */
    public static final int DEFAULT_LOOPS = 3;

    /** CLI / results name: lower case with dashes ({@code looped-parallel}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Variant parse(String id) {
        for (Variant v : values()) {
            if (v.id().equals(id) || v.name().equalsIgnoreCase(id)) {
                return v;
            }
        }
        throw new UserInputException("unknown variant \"" + id + "\" (known: "
                + Arrays.stream(values()).map(Variant::id).toList() + ")");
    }

    /**
     * The plan of this variant at {@code split}. {@code seed} is used by RANDOM (and recorded in the
     * plan); {@code k} is R for LOOPED_PARALLEL and the repeat count for REPEAT_IN_PLACE.
     */
    public LayerPlan plan(Split split, long seed, int k) {
        int t = split.numLayers();
        List<Step> steps = new ArrayList<>(LayerPlan.runs(split.first()));
        List<Integer> m = split.middle();
        switch (this) {
            case SKIP -> { }
            case MIDDLE_REPEAT -> steps.add(new Step.Loop(List.of(new Step.Run(split.centre())), split.affected()));
            case REVERSE -> {
                List<Integer> r = new ArrayList<>(m);
                Collections.reverse(r);
                steps.addAll(LayerPlan.runs(r));
            }
            case RANDOM -> {
                List<Integer> r = new ArrayList<>(m);
                Collections.shuffle(r, new Random(seed));
                steps.addAll(LayerPlan.runs(r));
            }
            case PARALLEL -> steps.add(new Step.Parallel(m));
            case LOOPED_PARALLEL -> steps.add(new Step.Loop(List.of(new Step.Parallel(m)), requireK(k)));
            case REPEAT_IN_PLACE -> m.forEach(i -> steps.add(new Step.Loop(List.of(new Step.Run(i)), requireK(k))));
            case MERGE -> steps.add(new Step.Merge(m));
            default -> throw new IllegalStateException(name());
        }
        steps.addAll(LayerPlan.runs(split.last()));
        LayerPlan p = new LayerPlan(t, steps);
        return this == RANDOM ? p.withSeed(seed) : p;
    }

    /** The plan with default parameters: seed 0, R = 3 loops, 2x repeat. */
    public LayerPlan plan(Split split) {
        return plan(split, 0, this == REPEAT_IN_PLACE ? 2 : DEFAULT_LOOPS);
    }

    private static int requireK(int k) {
        if (k < 1) {
            throw new UserInputException("loop / repeat count must be >= 1, got " + k);
        }
        return k;
    }

    /** Drop block n only. */
    public static LayerPlan skipLayer(int numLayers, int n) {
        checkLayer(numLayers, n);
        List<Integer> l = new ArrayList<>(LayerPlan.range(0, numLayers - 1));
        l.remove(Integer.valueOf(n));
        return LayerPlan.sequence(numLayers, l);
    }

    /** Run n+1 then n (swap neighbours n and n+1). */
    public static LayerPlan switchNeighbours(int numLayers, int n) {
        checkLayer(numLayers, n);
        if (n + 1 >= numLayers) {
            throw new UserInputException("block " + n + " has no right neighbour to switch with (T=" + numLayers + ")");
        }
        List<Integer> l = new ArrayList<>(LayerPlan.range(0, numLayers - 1));
        Collections.swap(l, n, n + 1);
        return LayerPlan.sequence(numLayers, l);
    }

    /** Drop the blocks [from, toExclusive) (empty range: the identity plan). */
    public static LayerPlan skipRange(int numLayers, int from, int toExclusive) {
        if (from < 0 || toExclusive > numLayers || from > toExclusive) {
            throw new UserInputException("range [" + from + ", " + toExclusive + ") not within 0.." + numLayers);
        }
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) {
            if (i < from || i >= toExclusive) {
                l.add(i);
            }
        }
        return LayerPlan.sequence(numLayers, l);
    }

    private static void checkLayer(int numLayers, int n) {
        if (n < 0 || n >= numLayers) {
            throw new UserInputException("block " + n + " is outside 0.." + (numLayers - 1));
        }
    }
}
