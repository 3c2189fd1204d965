package painters.eval.analysis;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;

/**
 * Block Influence of ShortGPT (Men et al., 2024): for the block between states i and i+1,
 * {@code BI_i = 1 - E_{x,t}[ cos(x_{i,t}, x_{i+1,t}) ]}, the expectation over every real token of
 * every example. Low BI = the block barely changes the residual stream: a candidate to remove.
 */
public final class BlockInfluence {

    private final int n;
    private final double[] cosSum;
    private double tokens;

    /** @param numStates states in sequence (T+1 for T blocks) */
    public BlockInfluence(int numStates) {
        if (numStates < 2) {
            throw new UserInputException("need at least two states");
        }
        this.n = numStates;
        this.cosSum = new double[n - 1];
    }

    public void add(List<INDArray> states, INDArray mask) {
        Shapes.check(states, mask, n);
        INDArray m = mask.castTo(states.get(0).dataType());                              // [B, S]
        for (int i = 0; i < n - 1; i++) {
            INDArray a = states.get(i);
            INDArray b = states.get(i + 1);
            INDArray dot = a.mul(b).sum(2);                                              // [B, S]
            INDArray norms = a.norm2(2).mul(b.norm2(2));
            INDArray cos = dot.div(Transforms.max(norms, 1e-30));
            cosSum[i] += cos.mul(m).sumNumber().doubleValue();
        }
        tokens += m.sumNumber().doubleValue();
    }

    /** BI per block (n-1 values). */
    public double[] result() {
        if (tokens == 0) {
            throw new IllegalStateException("no tokens added");
        }
        double[] r = new double[n - 1];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 - cosSum[i] / tokens;
        }
        return r;
    }
}
