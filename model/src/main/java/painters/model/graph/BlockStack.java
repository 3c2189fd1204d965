package painters.model.graph;

import java.util.List;
import java.util.function.IntFunction;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Pretrained blocks that a {@link PlanGraph} can run in any order: the only thing a model family
 * must provide. Calling {@link #block} twice with the same index reuses the same weight variables
 * (tied), so fine-tuning updates every use.
 */
public interface BlockStack {

    /** T, the number of pretrained blocks. */
    int numLayers();

    /**
     * Block {@code layer} applied to {@code x}, residual included:
     * {@code [batch, seq, hidden] -> [batch, seq, hidden]}.
     */
    SDVariable block(int layer, SDVariable x);

    /**
     * Executed step {@code step} of a plan runs block {@code layer}. Families with per-step state
     * (a decoder's KV cache, one slot per executed step) override this; the default is {@link #block}.
     */
    default SDVariable run(int step, int layer, SDVariable x) {
        return block(layer, x);
    }

    /**
     * Executed step {@code step} runs {@code layers} in parallel on the same input: the mean of their
     * outputs, residual included, {@code h + (1/n) sum_i delta_i(h)}.
     */
    default SDVariable parallel(int step, List<Integer> layers, SDVariable x) {
        return mean(layers, l -> block(l, x));
    }

    /**
     * Executed step {@code step} runs the merge of {@code layers}: one block, residual included, whose every tensor is
     * the element-wise mean of that tensor over {@code layers} ({@link GraphWeights#mean}).
     */
    SDVariable merged(int step, List<Integer> layers, SDVariable x);

    /** {@link #merged}'s output at the first position only, {@code [batch, 1, hidden]}. */
    default SDVariable mergedFirstToken(List<Integer> layers, SDVariable x) {
        return merged(-1, layers, x).get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all());
    }

    /**
     * Block {@code layer}'s output at the first position only, {@code [batch, 1, hidden]}: all a final
     * step must compute when only the first token's state is read (CLS pooling). The default slices
     * {@link #block}'s output; families override it to skip the other positions' work (their keys and
     * values are still computed from every position).
     */
    default SDVariable firstToken(int layer, SDVariable x) {
        return block(layer, x).get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all());
    }

    /** {@link #parallel}'s output at the first position only, {@code [batch, 1, hidden]}. */
    default SDVariable parallelFirstToken(List<Integer> layers, SDVariable x) {
        return mean(layers, l -> firstToken(l, x));
    }

    /** The mean of {@code output(l)} over {@code layers}, in order. */
    private static SDVariable mean(List<Integer> layers, IntFunction<SDVariable> output) {
        SDVariable[] outs = new SDVariable[layers.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = output.apply(layers.get(i));
        }
        return outs[0].getSameDiff().math.mergeAvg(outs);
    }
}
