package painters.model.family;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.graph.PlanGraph;
import painters.model.plan.LayerPlan;

/** The frozen graph of a causal language model under a layer plan; generation uses a KV cache. */
public interface LmGraph extends LmForward {

    /** The plan this graph runs. */
    LayerPlan plan();

    /** The executed steps, in order, with the state each leaves. */
    List<PlanGraph.ExecutedStep> executedSteps();

    /**
     * The residual stream of right-padded sequences: the embeddings, then the state after every executed
     * step, each {@code [batch, seq, hidden]}.
     */
    List<INDArray> hiddenStates(List<int[]> seqs);
}
