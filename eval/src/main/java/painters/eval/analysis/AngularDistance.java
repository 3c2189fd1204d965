package painters.eval.analysis;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;

/**
 * Angular distance of Gromov et al. (2024), "The Unreasonable Ineffectiveness of the Deeper Layers":
 * {@code d(x_l, x_{l+n}) = arccos(cos(x_l, x_{l+n})) / pi} between the state entering block l and the
 * state n blocks later, at one token per example, averaged over examples. The n-block run to drop
 * is the l minimising d for that n.
 *
 * <p>Token: {@link Token#LAST} (the last real token, as published for decoders) or {@link Token#MEAN}
 * (the mean over real tokens, a natural choice for encoders whose last token is [SEP]).
 */
public final class AngularDistance {

    /** Which token's state is compared. */
    public enum Token { LAST, MEAN }

    private final int n;
    private final Token token;
    private final double[][] sum;
    private long examples;

    public AngularDistance(int numStates, Token token) {
        if (numStates < 2) {
            throw new UserInputException("need at least two states");
        }
        this.n = numStates;
        this.token = token;
        this.sum = new double[n][n];
    }

    public void add(List<INDArray> states, INDArray mask) {
        Shapes.check(states, mask, n);
        int b = (int) mask.size(0);
        INDArray[] v = new INDArray[n];
        int[] last = Shapes.lastReal(mask);
        INDArray m = mask.castTo(states.get(0).dataType());
        for (int k = 0; k < n; k++) {
            INDArray s = states.get(k);
            if (token == Token.LAST) {
                v[k] = Nd4j.create(s.dataType(), b, s.size(2));
                for (int e = 0; e < b; e++) {
                    v[k].putRow(e, s.get(NDArrayIndex.point(e), NDArrayIndex.point(last[e]), NDArrayIndex.all()));
                }
            } else {
                v[k] = s.mul(m.reshape(b, m.size(1), 1)).sum(1).divColumnVector(m.sum(true, 1));
            }
        }
        for (int l = 0; l < n; l++) {
            for (int j = l + 1; j < n; j++) {
                INDArray dot = v[l].mul(v[j]).sum(1);
                INDArray norms = v[l].norm2(1).mul(v[j].norm2(1));
                for (int e = 0; e < b; e++) {
                    double c = Math.max(-1, Math.min(1, dot.getDouble(e) / Math.max(norms.getDouble(e), 1e-30)));
                    sum[l][j - l] += Math.acos(c) / Math.PI;
                }
            }
        }
        examples += b;
    }

    /**
     * {@code d[l][k]} = distance between state l and state l+k (k >= 1; NaN where l+k is past the
     * last state and for k = 0).
     */
    public double[][] result() {
        if (examples == 0) {
            throw new IllegalStateException("no examples added");
        }
        double[][] r = new double[n][n];
        for (int l = 0; l < n; l++) {
            for (int k = 0; k < n; k++) {
                r[l][k] = k >= 1 && l + k < n ? sum[l][k] / examples : Double.NaN;
            }
        }
        return r;
    }

    public Token token() {
        return token;
    }
}
