package painters.model.decoder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;
import painters.model.family.LmGraph;
import painters.model.graph.FrozenGraphs;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;

/**
 * A runnable SameDiff graph of a Llama-family decoder whose blocks run as a {@link LayerPlan} says
 * (by default the identity plan: the pretrained model). The pretrained weights are shared, never
 * changed: a plan is a different graph over the same arrays.
 *
 * <p>Named states (see {@link PlanGraph}): {@code resid_pre.k} enters executed step k
 * ({@code resid_pre.0} is the token embedding), {@code resid_final} is the residual stream after the
 * last step, before the final norm; {@code logits} is {@code [batch, seq, vocab]}.
 *
 * <p>Generation uses a second graph of the same plan with a KV cache (one slot per executed step,
 * see {@link DecoderBlocks}), built on first use.
 */
public final class DecoderGraph implements LmGraph {

    public static final String LOGITS = "logits";

    private final DecoderWeights weights;
    private final LayerPlan plan;
    private final SameDiff sd;
    private final List<PlanGraph.ExecutedStep> steps;
    private SameDiff cachedGraph;

    private DecoderGraph(DecoderWeights weights, LayerPlan plan) {
        this.weights = weights;
        this.plan = plan;
        Graph g = build(false);
        this.sd = g.sd();
        this.steps = g.steps();
    }

    private record Graph(SameDiff sd, List<PlanGraph.ExecutedStep> steps) {}

    private Graph build(boolean cached) {
        SameDiff g = FrozenGraphs.create();
        DecoderBlocks blocks = new DecoderBlocks(g, weights);
        DecoderBlocks.Inputs in = blocks.placeholders(cached);
        PlanGraph.Built built = PlanGraph.build(g, plan, blocks.stack(in), blocks.embeddings(in));
        g.identity(LOGITS, blocks.logits(built.output(), in));
        return new Graph(g, built.steps());
    }

    /** The pretrained decoder: blocks 0..T-1 in order. */
    public static DecoderGraph of(DecoderWeights weights) {
        return new DecoderGraph(weights, LayerPlan.identity(weights.config().numLayers()));
    }

    /** The decoder as {@code plan} runs it. */
    public static DecoderGraph of(DecoderWeights weights, LayerPlan plan) {
        return new DecoderGraph(weights, plan);
    }

    public DecoderConfig config() {
        return weights.config();
    }

    @Override
    public int contextLength() {
        return weights.config().maxPositions();
    }

    /** Logits {@code [batch, seq, vocab]} of right-padded sequences, without cache. */
    @Override
    public INDArray logits(List<int[]> seqs) {
        return logits(DecoderBatch.rightPadded(seqs, config()));
    }

    @Override
    public List<INDArray> hiddenStates(List<int[]> seqs) {
        return hiddenStates(DecoderBatch.rightPadded(seqs, config()));
    }

    /** Greedy generation with the KV cache ({@link GreedyGenerator}). */
    @Override
    public List<int[]> generate(List<int[]> prompts, int maxNewTokens, int eos,
                                BiPredicate<Integer, int[]> stop) {
        return GreedyGenerator.generate(this, prompts, maxNewTokens, eos, stop);
    }

    public DecoderWeights weights() {
        return weights;
    }

    @Override
    public LayerPlan plan() {
        return plan;
    }

    /** The executed steps (loops unrolled), in order; step k reads {@code resid_pre.k}. */
    @Override
    public List<PlanGraph.ExecutedStep> executedSteps() {
        return steps;
    }

    /** The underlying (uncached) graph. */
    public SameDiff graph() {
        return sd;
    }

    /** Logits {@code [batch, seq, vocab]} of a batch without cache ({@code batch.past() == 0}). */
    public INDArray logits(DecoderBatch batch) {
        requireUncached(batch);
        return FrozenGraphs.output(sd, batch.feed(), LOGITS).get(LOGITS);
    }

    /** Named activations of one uncached call (e.g. {@code resid_pre.3}); unknown names list what exists. */
    public Map<String, INDArray> capture(DecoderBatch batch, Collection<String> names) {
        requireUncached(batch);
        for (String n : names) {
            if (!sd.hasVariable(n)) {
                throw new UserInputException("no activation named \"" + n + "\"; this plan has resid_pre.0.."
                        + "resid_pre." + (steps.size() - 1) + ", " + PlanGraph.RESID_FINAL + " and " + LOGITS);
            }
        }
        return FrozenGraphs.output(sd, batch.feed(), names.toArray(new String[0]));
    }

    /** The state entering every executed step, then the final state ({@code steps + 1} arrays). */
    public List<INDArray> hiddenStates(DecoderBatch batch) {
        List<String> names = stateNames();
        return PlanGraph.inOrder(names, capture(batch, names));
    }

    /** {@code resid_pre.0 .. resid_pre.(n-1), resid_final}. */
    public List<String> stateNames() {
        return PlanGraph.stateNames(steps);
    }

    /**
     * Last-slot logits {@code [batch, vocab]} and the KV cache after a call. The cache holds, per
     * executed step, keys and values {@code [batch, kvHeads, slots, headDim]}.
     */
    public record Step(INDArray lastLogits, Map<String, INDArray> cache, DecoderBatch batch) {}

    /** Runs a prompt batch (left-padded, so every row ends at the last slot) and keeps its cache. */
    public Step prefill(DecoderBatch batch) {
        requireUncached(batch);
        return run(sd, batch, Map.of());
    }

    /** One more token per row after {@code previous}. */
    public Step next(Step previous, int[] tokens) {
        synchronized (this) {
            if (cachedGraph == null) {
                cachedGraph = build(true).sd();
            }
        }
        DecoderBatch b = previous.batch().next(tokens);
        return run(cachedGraph, b, previous.cache());
    }

    private Step run(SameDiff g, DecoderBatch batch, Map<String, INDArray> cache) {
        Map<String, INDArray> feed = new LinkedHashMap<>(batch.feed());
        List<String> outs = new ArrayList<>();
        outs.add(LOGITS);
        for (int k = 0; k < steps.size(); k++) {
            outs.add(DecoderBlocks.PRESENT_K + k);
            outs.add(DecoderBlocks.PRESENT_V + k);
            if (!cache.isEmpty()) {
                feed.put(DecoderBlocks.PAST_K + k, cache.get(DecoderBlocks.PRESENT_K + k));
                feed.put(DecoderBlocks.PAST_V + k, cache.get(DecoderBlocks.PRESENT_V + k));
            }
        }
        Map<String, INDArray> out = FrozenGraphs.output(g, feed, outs.toArray(new String[0]));
        INDArray logits = out.remove(LOGITS);
        long s = logits.size(1);
        INDArray last = logits.get(NDArrayIndex.all(), NDArrayIndex.point(s - 1), NDArrayIndex.all()).dup();
        return new Step(last, out, batch);
    }

    private static void requireUncached(DecoderBatch batch) {
        if (batch.past() != 0) {
            throw new IllegalArgumentException("a batch with " + batch.past() + " cached slots needs next(), not a "
                    + "full forward");
        }
    }
}
