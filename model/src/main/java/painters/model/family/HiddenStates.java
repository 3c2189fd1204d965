package painters.model.family;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.graph.PlanGraph;
import painters.model.tokenizer.TokenBatch;

/**
 * A model under a plan, as the hidden-state analyses read it: texts become token batches whose mask
 * marks the real tokens (padding is excluded from every statistic), and each batch gives the state
 * entering every executed step and the final state ({@code steps + 1} arrays {@code [batch, seq, hidden]}).
 */
public interface HiddenStates {

    /** The plan's executed steps (loops unrolled); state k enters step k. */
    List<PlanGraph.ExecutedStep> steps();

    /** Texts as batches of at most {@code batchSize}, each text cut to {@code maxLength} tokens. */
    List<TokenBatch> batches(List<String> texts, int batchSize, int maxLength);

    /** The states of one batch made by {@link #batches}. */
    List<INDArray> states(TokenBatch batch);

    /**
     * The model's plain forward pass over one batch (no states kept; a decoder's next-token logits, an encoder's
     * last hidden state): what a plan's latency is measured on. The caller owns the result.
     */
    INDArray forward(TokenBatch batch);
}
