package painters.model.plan;

import java.util.List;
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
        SDVariable[] outs = new SDVariable[layers.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = block(layers.get(i), x);
        }
        return x.getSameDiff().math.mergeAvg(outs);
    }
}
