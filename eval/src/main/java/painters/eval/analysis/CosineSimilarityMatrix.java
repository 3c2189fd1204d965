package painters.eval.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;

/**
 * The cosine similarity between hidden states, as Sun et al. (2024) compute it: for every example,
 * each state is flattened to one vector of [seq * hidden] and the cosine of every pair (i, j) is
 * taken; the matrix is the mean over examples. With T+1 states (entering each block, plus the final
 * one) it is (T+1) x (T+1).
 *
 * <p>Padding: only an example's real tokens enter its vectors (padding positions are zeroed in
 * both, which gives the same dot products and norms as dropping them), so padding to a batch's
 * longest row changes nothing.
 */
public final class CosineSimilarityMatrix {

    private final int n;
    private final double[][] sum;
    private final List<double[][]> perExample = new ArrayList<>();
    private long examples;

    public CosineSimilarityMatrix(int numStates) {
        if (numStates < 1) {
            throw new UserInputException("need at least one state");
        }
        this.n = numStates;
        this.sum = new double[n][n];
    }

    /** Adds a batch: {@code states} are n arrays {@code [batch, seq, hidden]}, {@code mask} is {@code [batch, seq]}. */
    public void add(List<INDArray> states, INDArray mask) {
        Shapes.check(states, mask, n);
        long b = mask.size(0);
        INDArray m = mask.castTo(states.get(0).dataType()).reshape(b, mask.size(1), 1);
        INDArray[] unit = new INDArray[n];
        for (int k = 0; k < n; k++) {
            INDArray x = states.get(k).mul(m).reshape(b, -1);                            // [B, S*H]
            unit[k] = x.divColumnVector(Transforms.max(x.norm2(true, 1), 1e-30));
        }
        INDArray u = Nd4j.stack(1, unit);                                                 // [B, n, S*H]
        for (int e = 0; e < b; e++) {
            INDArray ue = u.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.all());   // [n, S*H]
            INDArray gram = ue.mmul(ue.transpose());                                    // [n, n]
            double[][] one = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    one[i][j] = gram.getDouble(i, j);
                    sum[i][j] += one[i][j];
                }
            }
            perExample.add(one);
        }
        examples += b;
    }

    /** The mean cosine matrix so far. */
    public double[][] result() {
        if (examples == 0) {
            throw new IllegalStateException("no examples added");
        }
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = sum[i][j] / examples;
            }
        }
        return r;
    }

    /** Each example's cosine matrix, in the order added (for errors over examples). */
    public List<double[][]> perExample() {
        return Collections.unmodifiableList(perExample);
    }

    public long examples() {
        return examples;
    }
}
