package painters.training;

import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.metric.Metric;

/**
 * What {@link TrainingLoop} needs from a model being fine-tuned: its live trainable arrays, the
 * loss and gradients of a numbered micro-batch (the data order is a function of that number), and
 * a held-out evaluation.
 */
public interface Trainable {

    /** The live arrays of the trainable variables, updated in place by the optimizer. */
    Map<String, INDArray> parameters();

    /** The trainable variables weight decay applies to (matrices). */
    Set<String> decayed();

    long trainableCount();

    /** One micro-batch's mean loss, its gradients, and how many examples / real tokens it held. */
    record Micro(double loss, Map<String, INDArray> grads, int examples, long tokens) {}

    Micro micro(long index);

    /** A held-out evaluation: every metric, and the primary one (higher is better). */
    record Evaluation(Map<Metric, Double> scores, double primary) {}

    Evaluation evaluate();
}
