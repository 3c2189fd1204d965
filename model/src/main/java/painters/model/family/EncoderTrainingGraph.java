package painters.model.family;

import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.graph.TrainingGraph;
import painters.model.tokenizer.TokenBatch;

/**
 * A sentence encoder under a plan with a task head on its pooled features, trainable with the task's loss
 * (cross-entropy for classification, squared error for regression): what a family's
 * {@link SentenceEncoder#trainingGraph} returns.
 */
public abstract class EncoderTrainingGraph extends TrainingGraph {

    protected EncoderTrainingGraph(SameDiff sd, Predicate<String> trains, int steps, Segments segments) {
        super(sd, trains, steps, segments);
    }

    /** Placeholders for a batch and its labels (class ids or targets; null to score only). */
    public abstract Map<String, INDArray> feed(TokenBatch batch, INDArray labels);

    /** The head's outputs {@code [batch, outputs]} with the current weights. */
    public abstract INDArray logits(Map<String, INDArray> feed);

    /** Whether the head classifies (else it regresses). */
    public abstract boolean classification();
}
