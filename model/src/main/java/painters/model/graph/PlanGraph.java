package painters.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanText;
import painters.model.plan.Step;

/**
 * Interprets a {@link LayerPlan} over a {@link BlockStack} inside a SameDiff graph.
 *
 * <p>Canonical activation names: the hidden state entering the k-th executed step (loops unrolled,
 * a parallel step is one step) is {@code resid_pre.k}; the state after the last step, before any
 * final norm or head, is {@code resid_final}. They are graph variables, so one call can ask for
 * them without the graph's outputs changing otherwise.
 */
public final class PlanGraph {

    public static final String RESID_PRE = "resid_pre.";
    public static final String RESID_FINAL = "resid_final";

    /** Name of the state entering executed step {@code k}. */
    public static String residPre(int k) {
        return RESID_PRE + k;
    }

    /**
     * One executed step: its position, the plan step it executes, and which loop iterations it is in.
     *
     * @param index       k, as in {@code resid_pre.k}
     * @param step        the Run or Parallel step
     * @param description e.g. {@code P(6-11) [iteration 2/3]}
     */
    public record ExecutedStep(int index, Step step, String description) {
        public String stateName() {
            return residPre(index);
        }
    }

    /** {@code resid_pre.0 .. resid_pre.(n-1), resid_final}: the states of a plan's executed steps. */
    public static List<String> stateNames(List<ExecutedStep> steps) {
        List<String> names = new ArrayList<>();
        for (ExecutedStep s : steps) {
            names.add(s.stateName());
        }
        names.add(RESID_FINAL);
        return names;
    }

    /** The arrays of {@code names}, in order, from a name-to-array map. */
    public static List<INDArray> inOrder(List<String> names,
                                                                    Map<String, INDArray> arrays) {
        List<INDArray> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(arrays.get(n));
        }
        return out;
    }

    /** The built graph's final state and the executed steps, in order. */
    public record Built(SDVariable output, List<ExecutedStep> steps) {}

    private final SameDiff sd;
    private final BlockStack blocks;
    private final List<ExecutedStep> executed = new ArrayList<>();

    /** Index of the executed step that computes the first position only; -1: none. */
    private final int firstTokenStep;

    private PlanGraph(SameDiff sd, BlockStack blocks, int firstTokenStep) {
        this.sd = sd;
        this.blocks = blocks;
        this.firstTokenStep = firstTokenStep;
    }

    /**
     * Adds the plan to {@code sd}, starting from {@code x0} (the embeddings output), and returns the
     * final state, named {@link #RESID_FINAL}.
     */
    public static Built build(SameDiff sd, LayerPlan plan, BlockStack blocks, SDVariable x0) {
        return build(sd, plan, blocks, x0, 0);
    }

    /**
     * As {@link #build(SameDiff, LayerPlan, BlockStack, SDVariable)} but without the plan's first
     * {@code skip} steps, which must be plain runs or parallel steps (no loop; {@link LayerPlan#flattened}
     * has none): {@code x} is then the state entering step {@code skip}, computed elsewhere (for example
     * shared by the plans of a grid that start with the same steps), and the remaining steps keep the
     * names they have in the whole plan ({@code resid_pre.skip}, ...).
     */
    public static Built build(SameDiff sd, LayerPlan plan, BlockStack blocks, SDVariable x, int skip) {
        return build(sd, plan, blocks, x, skip, false);
    }

    /**
     * As {@link #build(SameDiff, LayerPlan, BlockStack, SDVariable, int)}; with {@code firstTokenOnly}
     * the last executed step computes the first position only ({@link BlockStack#firstToken}), so
     * {@link #RESID_FINAL} is {@code [batch, 1, hidden]}: for readers of the first token's state alone
     * (CLS pooling). Every earlier state is unchanged.
     */
    public static Built build(SameDiff sd, LayerPlan plan, BlockStack blocks, SDVariable x, int skip,
                              boolean firstTokenOnly) {
        plan.checkSize();
        if (plan.numLayers() != blocks.numLayers()) {
            throw new UserInputException("plan " + plan.print() + " is over " + plan.numLayers()
                    + " blocks but the model has " + blocks.numLayers());
        }
        if (skip < 0 || skip > plan.steps().size()) {
            throw new IllegalArgumentException("cannot skip " + skip + " steps of " + plan.print() + ": it has "
                    + plan.steps().size());
        }
        for (int k = 0; k < skip; k++) {
            if (plan.steps().get(k) instanceof Step.Loop) {
                throw new IllegalArgumentException("cannot skip into a loop of " + plan.print() + " (step " + k
                        + "); skip steps of its flattened() form");
            }
        }
        PlanGraph g = new PlanGraph(sd, blocks, firstTokenOnly ? plan.flattened().steps().size() - 1 : -1);
        for (int k = 0; k < skip; k++) {
            Step s = plan.steps().get(k);
            g.executed.add(new ExecutedStep(k, s, PlanText.print(s) + " (cached)"));
        }
        SDVariable out = g.steps(plan.steps().subList(skip, plan.steps().size()), x, "");
        return new Built(sd.identity(RESID_FINAL, out), List.copyOf(g.executed.subList(skip, g.executed.size())));
    }

    /**
     * Executed steps {@code from .. to-1} of a flattened plan (no loop) over {@code x}, the state entering
     * step {@code from}: one segment of a training graph computed piecewise ({@link TrainingGraph}). The
     * steps keep their names in the whole plan; the segment's output is returned, unnamed.
     */
    public static SDVariable segment(SameDiff sd, LayerPlan flat, BlockStack blocks, SDVariable x, int from, int to) {
        List<Step> steps = flat.steps();
        if (from < 0 || to > steps.size() || from > to) {
            throw new IllegalArgumentException("no steps " + from + ".." + to + " in " + flat.print());
        }
        PlanGraph g = new PlanGraph(sd, blocks, -1);
        for (int k = 0; k < from; k++) {
            g.executed.add(new ExecutedStep(k, steps.get(k), PlanText.print(steps.get(k)) + " (elsewhere)"));
        }
        for (Step s : steps.subList(from, to)) {
            if (s instanceof Step.Loop) {
                throw new IllegalArgumentException("segments are of flattened plans, got a loop in " + flat.print());
            }
            x = g.step(s, x, "");
        }
        return x;
    }

    private SDVariable steps(List<Step> steps, SDVariable x, String context) {
        for (Step s : steps) {
            x = step(s, x, context);
        }
        return x;
    }

    private SDVariable step(Step s, SDVariable x, String context) {
        if (s instanceof Step.Loop l) {
            for (int i = 1; i <= l.times(); i++) {
                x = steps(l.body(), x, context + " [iteration " + i + "/" + l.times() + "]");
            }
            return x;
        }
        int k = executed.size();
        executed.add(new ExecutedStep(k, s, PlanText.print(s) + context));
        SDVariable in = sd.identity(residPre(k), x);
        boolean first = k == firstTokenStep;
        if (s instanceof Step.Run r) {
            return first ? blocks.firstToken(r.layer(), in) : blocks.run(k, r.layer(), in);
        }
        if (s instanceof Step.Merge m) {
            return first ? blocks.mergedFirstToken(m.layers(), in) : blocks.merged(k, m.layers(), in);
        }
        List<Integer> layers = ((Step.Parallel) s).layers();
        return first ? blocks.parallelFirstToken(layers, in) : blocks.parallel(k, layers, in);
    }
}
