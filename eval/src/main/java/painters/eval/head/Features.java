package painters.eval.head;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.eval.task.Example;

/** Sentence features of examples: what a task evaluator needs from a model. */
public interface Features {

    /** {@code [n, d]} features of each example's text(s), a pair encoded together. */
    INDArray pooled(List<Example> examples);

    /** {@code [n, d]} features of the {@code field}-th text of each example, encoded alone. */
    INDArray pooledField(List<Example> examples, int field);

    /**
     * {@code [n, 4d]} features of a pair whose texts are encoded alone: {@code [u, v, |u - v|, u * v]} (SentEval,
     * SBERT), u and v the two texts' features.
     */
    default INDArray pooledSeparately(List<Example> examples) {
        INDArray u = pooledField(examples, 0);
        INDArray v = pooledField(examples, 1);
        return Nd4j.concat(1, u, v, Transforms.abs(u.sub(v)),
                u.mul(v));
    }
}
