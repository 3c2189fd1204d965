package painters.training;

import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.model.graph.TrainingGraph;

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

    /**
     * One micro-batch's mean loss, its gradients, and how many examples / real tokens it held. The gradient
     * arrays are handed over: the loop scales them in place and frees them after the step.
     */
    record Micro(double loss, Map<String, INDArray> grads, int examples, long tokens) {}

    Micro micro(long index);

    /** Whether a micro-batch may leave some parameters without a gradient (LayerDrop): they sit that step out. */
    default boolean dropsBlocks() {
        return false;
    }

    /**
     * A held-out evaluation: every metric with its standard error over the held-out items (absent where unknown), the
     * primary one (higher is better), further tasks scored with the current weights (task to metric to value and
     * to error; empty for most runs), and what each held-out item scored ({@code items}, in the held-out order, so two
     * runs scored on the same items can be compared item by item; null where not kept).
     */
    record Evaluation(Map<Metric, Double> scores, Map<Metric, Double> stderr, double primary,
                      Map<String, Map<Metric, Double>> tasks, Map<String, Map<Metric, Double>> taskStderr,
                      ItemScores items) {
        public Evaluation(Map<Metric, Double> scores, double primary) {
            this(scores, Map.of(), primary, Map.of(), Map.of(), null);
        }
    }

    Evaluation evaluate();

    /** A trainable over a training graph, with the batches and evaluation given. */
    static Trainable of(TrainingGraph g, LongFunction<Micro> micro,
                        Supplier<Evaluation> evaluate) {
        return of(g, micro, evaluate, false);
    }

    /** As above; {@code dropsBlocks}: see {@link #dropsBlocks()}. */
    static Trainable of(TrainingGraph g, LongFunction<Micro> micro, Supplier<Evaluation> evaluate, boolean dropsBlocks) {
        return new Trainable() {
            @Override
            public boolean dropsBlocks() {
                return dropsBlocks;
            }

            @Override
            public Map<String, INDArray> parameters() {
                return g.parameters();
            }

            @Override
            public Set<String> decayed() {
                return g.decayed();
            }

            @Override
            public long trainableCount() {
                return g.trainableCount();
            }

            @Override
            public Micro micro(long index) {
                return micro.apply(index);
            }

            @Override
            public Evaluation evaluate() {
                return evaluate.get();
            }
        };
    }
}
