package painters.model.family;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.graph.TrainingGraph;

/**
 * A causal language model under a plan, trainable with the next-token loss: what a family's
 * {@link CausalLm#trainingGraph} returns. It scores and generates with its current weights.
 */
public abstract class LmTrainingGraph extends TrainingGraph implements LmForward {

    protected LmTrainingGraph(SameDiff sd, Predicate<String> trains, int steps, Segments segments) {
        super(sd, trains, steps, segments);
    }

    /**
     * Placeholders for sequences trained to predict each next token: position i's target is token i+1 of
     * its row; the last position and padding carry weight 0.
     */
    public abstract Map<String, INDArray> feed(List<int[]> seqs);
}
