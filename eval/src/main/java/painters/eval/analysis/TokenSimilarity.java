package painters.eval.analysis;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import painters.model.UserInputException;

/**
 * How alike a text's tokens are at each state: per example, the mean cosine similarity between the states of every two
 * of its real tokens, {@code (|sum_t x_t/|x_t||^2 - k) / (k (k - 1))} over its k >= 2 real tokens; then the mean over
 * examples with the examples' standard error. 1 means every position holds the same direction: the rank collapse of
 * attention without residual connections (Dong, Cordonnier and Loukas 2021), after which a language model can predict
 * only one distribution at every position. Examples with one real token have no pair and are left out.
 */
public final class TokenSimilarity {

    private final int n;
    private final List<SummaryStatistics> perExample = new ArrayList<>();     // per state, over examples

    /** @param numStates states in sequence */
    public TokenSimilarity(int numStates) {
        if (numStates < 1) {
            throw new UserInputException("need at least one state");
        }
        this.n = numStates;
        for (int i = 0; i < n; i++) {
            perExample.add(new SummaryStatistics());
        }
    }

    public void add(List<INDArray> states, INDArray mask) {
        Shapes.check(states, mask, n);
        INDArray m = mask.castTo(states.get(0).dataType());                              // [B, S]
        double[] k = m.sum(1).toDoubleVector();
        INDArray m3 = m.reshape(m.size(0), m.size(1), 1);
        for (int i = 0; i < n; i++) {
            INDArray x = states.get(i).mul(m3);                                          // padding rows zero
            INDArray unit = x.div(Transforms.max(x.norm2(true, 2), 1e-30));              // [B, S, H]
            double[] sq = unit.sum(1).norm2(1).toDoubleVector();                         // |sum_t u_t| per example
            for (int b = 0; b < k.length; b++) {
                if (k[b] >= 2) {
                    perExample.get(i).addValue((sq[b] * sq[b] - k[b]) / (k[b] * (k[b] - 1)));
                }
            }
        }
    }

    /**
     * Per state, the mean over examples and its standard error.
     *
     * @param mean     per state, the mean over examples (NaN where none had two real tokens)
     * @param se       the examples' standard error (NaN with fewer than two examples)
     * @param examples the examples that had two real tokens
     */
    public record Summary(double[] mean, double[] se, int examples) {}

    public Summary summary() {
        return new Summary(result(), stderr(), examples());
    }

    /** Examples that had a pair of real tokens. */
    public int examples() {
        return (int) perExample.get(0).getN();
    }

    /** The mean over examples per state (NaN where no example had two real tokens). */
    public double[] result() {
        return perExample.stream().mapToDouble(SummaryStatistics::getMean).toArray();
    }

    /** The examples' standard error of {@link #result} per state (NaN with fewer than two examples). */
    public double[] stderr() {
        return perExample.stream().mapToDouble(v -> v.getN() > 1 ? v.getStandardDeviation() / Math.sqrt(v.getN())
                : Double.NaN).toArray();
    }
}
