package painters.model.plan;

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
}
