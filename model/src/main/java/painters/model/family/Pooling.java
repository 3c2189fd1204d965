package painters.model.family;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** How a sentence embedding is read off {@code last_hidden_state}, as a model card prescribes. */
public enum Pooling {
    /** The first token's state ([CLS]); BGE uses this. */
    CLS,
    /** Mean over real (unmasked) tokens; sentence-transformers MiniLM/MPNet use this. */
    MEAN;

    /**
     * Pools {@code hidden [batch, seq, hidden]} with {@code mask [batch, seq]} (1 real, 0 pad) into
     * {@code [batch, hidden]}.
     */
    public INDArray pool(INDArray hidden, INDArray mask) {
        if (this == CLS) {
            return hidden.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup();
        }
        INDArray m = mask.castTo(hidden.dataType());
        INDArray summed = hidden.mul(m.reshape(m.size(0), m.size(1), 1)).sum(1);          // [B, H]
        INDArray counts = Transforms.max(m.sum(true, 1), 1e-9);                          // [B, 1]
        return summed.divColumnVector(counts);
    }

    /** Rows scaled to unit L2 norm: {@code [batch, hidden]}. */
    public static INDArray l2Normalize(INDArray x) {
        INDArray norms = Transforms.max(x.norm2(true, 1), 1e-12);
        return x.divColumnVector(norms);
    }

    /** Cosine similarity of two row-aligned embedding matrices: {@code [batch]}. */
    public static INDArray rowCosine(INDArray a, INDArray b) {
        return l2Normalize(a).mul(l2Normalize(b)).sum(1);
    }

}
