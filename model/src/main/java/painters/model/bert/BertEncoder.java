package painters.model.bert;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.family.EncoderGraph;
import painters.model.family.Pooling;
import painters.model.graph.FrozenGraphs;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;

/**
 * A runnable SameDiff graph of a BERT encoder whose blocks run as a {@link LayerPlan} says (by
 * default the identity plan, i.e. the pretrained model). The pretrained weights are shared, never
 * changed: a plan is a different graph over the same arrays.
 *
 * <p>Named states (see {@link PlanGraph}): {@code resid_pre.k} enters executed step k
 * ({@code resid_pre.0} is the embeddings output), {@code resid_final} is the state after the last
 * step; for a post-LN encoder that is also {@code last_hidden_state}. All are {@code [batch, seq, hidden]},
 * except the last two of an encoder made {@link #forPooling} CLS pooling ({@code [batch, 1, hidden]}).
 * Graphs are {@link painters.model.graph.FrozenGraphs}: they read the pretrained arrays, never copy or change them.
 */
public final class BertEncoder implements EncoderGraph {

    public static final String LAST_HIDDEN = "last_hidden_state";

    private final BertWeights weights;
    private final LayerPlan plan;
    private final SameDiff sd;
    private final List<PlanGraph.ExecutedStep> steps;

    /** Name of the placeholder of an encoder that starts from a cached state. */
    public static final String RESID_IN = "resid_in";

    private final int skip;

    private final boolean firstTokenOnly;

    private BertEncoder(BertWeights weights, LayerPlan plan, int skip, boolean firstTokenOnly) {
        this.weights = weights;
        this.plan = plan;
        this.skip = skip;
        this.firstTokenOnly = firstTokenOnly;
        this.sd = FrozenGraphs.create();
        BertBlocks blocks = new BertBlocks(sd, weights);
        BertBlocks.Inputs in = blocks.placeholders();
        SDVariable x0 = skip == 0 ? blocks.embeddings(in)
                : sd.placeHolder(RESID_IN, DataType.FLOAT, -1, -1, weights.config().hiddenSize());
        PlanGraph.Built built = PlanGraph.build(sd, plan, blocks.stack(in), x0, skip, firstTokenOnly);
        this.steps = built.steps();
        sd.identity(LAST_HIDDEN, built.output());
    }

    /**
     * The encoder as {@code plan} runs it, starting after its first {@code skip} steps (plain runs or
     * parallel steps; use {@link LayerPlan#flattened} for plans with loops): fed the state entering step
     * {@code skip} ({@code resid_pre.skip} of any plan that starts with the same steps) through
     * {@link #forwardFrom}.
     */
    public static BertEncoder from(BertWeights weights, LayerPlan plan, int skip) {
        if (skip < 1) {
            throw new IllegalArgumentException("skip must be >= 1 (0 is the whole plan: of(weights, plan))");
        }
        return new BertEncoder(weights, plan, skip, false);
    }

    /**
     * The encoder of {@code plan} for features read with {@code pooling}, from its first {@code skip}
     * steps on (0: the whole plan, fed by {@link #forward}; else as {@link #from}). For CLS pooling the
     * last step computes the first position only, so {@code last_hidden_state} is
     * {@code [batch, 1, hidden]} (position 0 of the whole state, up to float rounding); for mean
     * pooling it is the whole state.
     */
    public static BertEncoder forPooling(BertWeights weights, LayerPlan plan, int skip, Pooling pooling) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        }
        return new BertEncoder(weights, plan, skip, pooling == Pooling.CLS);
    }

    /** True when the last step computes the first position only ({@link #forPooling} with CLS). */
    public boolean firstTokenOnly() {
        return firstTokenOnly;
    }

    /** Steps skipped (0 for a whole-plan encoder). */
    public int skipped() {
        return skip;
    }

    /** {@code last_hidden_state} of an encoder made by {@link #from}, given the state entering its first step. */
    public INDArray forwardFrom(TokenBatch batch, INDArray state) {
        if (skip == 0) {
            throw new IllegalStateException("this encoder runs the whole plan: use forward(batch)");
        }
        return lastHidden(feed(batch), state);
    }

    /**
     * {@code last_hidden_state} for the token arrays {@code tokens} (made for this call, freed after it: a
     * study makes four per batch and plan) and, for an encoder that starts from a state, that state (the
     * caller's).
     */
    private INDArray lastHidden(Map<String, INDArray> tokens, INDArray state) {
        Map<String, INDArray> f = new HashMap<>(tokens);
        if (state != null) {
            f.put(RESID_IN, state);
        }
        try {
            return FrozenGraphs.output(sd, f, LAST_HIDDEN).get(LAST_HIDDEN);
        } finally {
            tokens.values().forEach(FrozenGraphs::free);
        }
    }

    /** The pretrained encoder: blocks 0..T-1 in order. */
    public static BertEncoder of(BertWeights weights) {
        return new BertEncoder(weights, LayerPlan.identity(weights.config().numLayers()), 0, false);
    }

    /** The encoder as {@code plan} runs it. */
    public static BertEncoder of(BertWeights weights, LayerPlan plan) {
        return new BertEncoder(weights, plan, 0, false);
    }

    public BertConfig config() {
        return weights.config();
    }

    public BertWeights weights() {
        return weights;
    }

    public LayerPlan plan() {
        return plan;
    }

    /** The executed steps (loops unrolled), in order; step k reads {@code resid_pre.k}. */
    public List<PlanGraph.ExecutedStep> executedSteps() {
        return steps;
    }

    /** The underlying graph (for analyses that add outputs or listeners). */
    public SameDiff graph() {
        return sd;
    }

    /** Placeholder values for a batch. */
    public static Map<String, INDArray> feed(TokenBatch batch) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("input_ids", batch.idsArray());
        ph.put("token_type_ids", batch.typeIdsArray());
        ph.put("position_ids", batch.positionsArray());
        ph.put("attention_mask", batch.maskArray());
        return ph;
    }

    /** {@code last_hidden_state}, {@code [batch, seq, hidden]}. */
    public INDArray forward(TokenBatch batch) {
        return lastHidden(feed(batch), null);
    }

    /**
     * Captures named activations for this one call (for example {@code resid_pre.3}); the graph and
     * its outputs are otherwise unchanged. Unknown names are an error listing what exists.
     */
    public Map<String, INDArray> capture(TokenBatch batch, Collection<String> names) {
        for (String n : names) {
            if (!sd.hasVariable(n)) {
                throw new UserInputException("no activation named \"" + n + "\"; this plan has resid_pre.0.."
                        + "resid_pre." + (steps.size() - 1) + ", " + PlanGraph.RESID_FINAL + " and " + LAST_HIDDEN);
            }
        }
        return FrozenGraphs.output(sd, feed(batch), names.toArray(new String[0]));
    }

    /** The state entering every executed step, then the final state ({@code steps + 1} arrays). */
    public List<INDArray> hiddenStates(TokenBatch batch) {
        List<String> names = stateNames();
        return PlanGraph.inOrder(names, capture(batch, names));
    }

    /** {@code resid_pre.0 .. resid_pre.(n-1), resid_final}. */
    public List<String> stateNames() {
        return PlanGraph.stateNames(steps);
    }
}
