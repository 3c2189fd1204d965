package painters.model.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import painters.model.UserInputException;

/**
 * A plan as a vector of genes in [0, 1): what a plan search (random or genetic) varies. Block i has an action
 * gene {@code genes[i]} and, when the search reorders, an order gene {@code genes[T + i]}.
 *
 * <p>Action (the gene's quarter): {@link Action#SKIP} (not run), {@link Action#RUN} (once), {@link Action#REPEAT}
 * (twice in a row: {@code ix2}), {@link Action#PARALLEL} (joins the parallel step of the blocks just before it:
 * a RUN block followed by PARALLEL blocks, skipped blocks in between, is one parallel step {@code P(...)}; a
 * REPEAT block or the end closes it). Blocks in {@code fixed} run once on their own whatever their gene (a search
 * keeps the first and last blocks so by default: the paper finds removing them catastrophic).
 *
 * <p>Order: without order genes the blocks keep their pretrained order 0..T-1; with them block i is placed at
 * {@code i + window * (genes[T + i] - 1/2)} (a stable sort), so a block moves at most {@code window / 2}
 * places: local reorderings, not arbitrary permutations.
 */
public final class PlanGenes {

    /** What happens to one block. */
    public enum Action { SKIP, RUN, REPEAT, PARALLEL }

    private PlanGenes() {}

    /** The action a gene in [0, 1) names. */
    public static Action action(double gene) {
        if (!(gene >= 0 && gene <= 1)) {
            throw new UserInputException("a gene is in [0, 1], got " + gene);
        }
        return Action.values()[Math.min(3, (int) (gene * 4))];
    }

    /** The gene in the middle of {@code a}'s quarter (to write a known plan as genes). */
    public static double gene(Action a) {
        return (a.ordinal() + 0.5) / 4;
    }

    /**
     * The plan of {@code genes} over {@code numLayers} blocks ({@code numLayers} genes, or {@code 2 numLayers}
     * with order genes); empty when no block runs.
     */
    public static Optional<LayerPlan> decode(int numLayers, double[] genes, Set<Integer> fixed, double window) {
        if (genes.length != numLayers && genes.length != 2 * numLayers) {
            throw new UserInputException(numLayers + " blocks need " + numLayers + " or " + 2 * numLayers
                    + " genes, got " + genes.length);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) {
            order.add(i);
        }
        if (genes.length == 2 * numLayers && window > 0) {
            order.sort(Comparator.comparingDouble(i -> i + window * (genes[numLayers + i] - 0.5)));
        }
        List<Step> steps = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        for (int i : order) {
            if (fixed.contains(i)) {
                flush(group, steps);
                steps.add(new Step.Run(i));
                continue;
            }
            switch (action(genes[i])) {
                case SKIP -> { }
                case RUN -> {
                    flush(group, steps);
                    group.add(i);
                }
                case PARALLEL -> group.add(i);
                case REPEAT -> {
                    flush(group, steps);
                    steps.add(new Step.Loop(List.of(new Step.Run(i)), 2));
                }
            }
        }
        flush(group, steps);
        return steps.isEmpty() ? Optional.empty() : Optional.of(new LayerPlan(numLayers, steps));
    }

    /**
     * The plan of {@code genes}, repaired to a sequential depth of at most {@code maxDepth} (a constraint handled by
     * repair rather than by rejection, so that a search under a tight depth limit still gets a score for every
     * candidate): while too deep, a repeated block runs once instead (the repeat whose gene lies lowest, nearest to
     * RUN, first), then a running or parallel block is skipped (the lowest gene first: run blocks before parallel
     * ones); ties go to the lower block. Fixed blocks are never changed. Empty when no block runs or even the
     * fixed blocks alone are too deep. A plan within the limit is decoded unchanged.
     */
    public static Optional<LayerPlan> decodeWithin(int numLayers, double[] genes, Set<Integer> fixed, double window,
                                                   int maxDepth) {
        double[] g = genes.clone();
        while (true) {
            Optional<LayerPlan> p = decode(numLayers, g, fixed, window);
            if (p.isEmpty() || p.get().depth() <= maxDepth) {
                return p;
            }
            int pick = lowest(numLayers, g, fixed, EnumSet.of(Action.REPEAT));
            if (pick >= 0) {
                g[pick] = gene(Action.RUN);
                continue;
            }
            pick = lowest(numLayers, g, fixed, EnumSet.of(Action.RUN, Action.PARALLEL));
            if (pick < 0) {
                return Optional.empty();
            }
            g[pick] = gene(Action.SKIP);
        }
    }

    /** The non-fixed block whose action is one of {@code actions} with the lowest gene (ties: lower block), or -1. */
    private static int lowest(int numLayers, double[] g, Set<Integer> fixed, Set<Action> actions) {
        int best = -1;
        for (int i = 0; i < numLayers; i++) {
            if (!fixed.contains(i) && actions.contains(action(g[i])) && (best < 0 || g[i] < g[best])) {
                best = i;
            }
        }
        return best;
    }

    private static void flush(List<Integer> group, List<Step> steps) {
        if (group.size() == 1) {
            steps.add(new Step.Run(group.get(0)));
        } else if (group.size() > 1) {
            steps.add(new Step.Parallel(group));
        }
        group.clear();
    }
}
