package painters.model.family;

import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;

/**
 * The frozen graph of a sentence encoder under a layer plan, whole or from a cached state: a segment that
 * starts after the plan's first {@link #skipped()} steps is fed the state entering that step
 * ({@code resid_pre.skip} of any plan that starts with the same steps).
 */
public interface EncoderGraph {

    /** The plan this graph runs. */
    LayerPlan plan();

    /** Steps skipped (0 for a whole-plan graph). */
    int skipped();

    /** True when the last step computes the first position only (a graph for CLS-pooled features). */
    boolean firstTokenOnly();

    /** The executed steps, in order, with the state each leaves. */
    List<PlanGraph.ExecutedStep> executedSteps();

    /** {@code last_hidden_state [batch, seq, hidden]} ({@code [batch, 1, hidden]} where first-token-only). */
    INDArray forward(TokenBatch batch);

    /** {@code last_hidden_state} of a segment, given the state entering its first step. */
    INDArray forwardFrom(TokenBatch batch, INDArray state);

    /** The underlying SameDiff graph, for listeners (op timing). */
    SameDiff graph();

    /** The embeddings, then the state after every executed step, each {@code [batch, seq, hidden]}. */
    List<INDArray> hiddenStates(TokenBatch batch);
}
