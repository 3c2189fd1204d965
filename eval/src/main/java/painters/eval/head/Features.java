package painters.eval.head;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.task.Example;

/** Sentence features of examples: what a task evaluator needs from a model. */
public interface Features {

    /** {@code [n, d]} features of each example's text(s), a pair encoded together. */
    INDArray pooled(List<Example> examples);

    /** {@code [n, d]} features of the {@code field}-th text of each example, encoded alone. */
    INDArray pooledField(List<Example> examples, int field);
}
