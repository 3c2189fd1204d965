package painters.eval.metric;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * A quantity's bootstrap replicates ({@link PairedBootstrap}): arithmetic replicate by replicate keeps every
 * correlation between quantities built from the same draws, and the standard deviation over replicates is the
 * standard error. Replicates where a quantity is undefined (NaN) are skipped by {@link #se}.
 *
 * @param values one value per replicate
 */
public record Replicates(double[] values) {

    public int size() {
        return values.length;
    }

    /** The standard error: the sample standard deviation of the finite replicates (NaN with fewer than 2). */
    public double se() {
        return Bootstrap.sd(values);
    }

    public Replicates minus(Replicates o) {
        return combine(o, (a, b) -> a - b);
    }

    public Replicates plus(Replicates o) {
        return combine(o, Double::sum);
    }

    /** Replicate by replicate {@code f(this, o)}. */
    public Replicates combine(Replicates o, DoubleBinaryOperator f) {
        if (o.size() != size()) {
            throw new IllegalArgumentException(size() + " replicates and " + o.size());
        }
        double[] v = new double[size()];
        for (int b = 0; b < v.length; b++) {
            v[b] = f.applyAsDouble(values[b], o.values[b]);
        }
        return new Replicates(v);
    }

    /** The replicate-wise mean of several quantities. */
    public static Replicates mean(List<Replicates> rs) {
        double[] v = new double[rs.get(0).size()];
        for (Replicates r : rs) {
            for (int b = 0; b < v.length; b++) {
                v[b] += r.values[b] / rs.size();
            }
        }
        return new Replicates(v);
    }

    /** The replicate-wise median of several quantities (the mean of the two middle values for an even count). */
    public static Replicates median(List<Replicates> rs) {
        double[] v = new double[rs.get(0).size()];
        double[] col = new double[rs.size()];
        for (int b = 0; b < v.length; b++) {
            for (int k = 0; k < col.length; k++) {
                col[k] = rs.get(k).values[b];
            }
            Arrays.sort(col);
            int n = col.length;
            v[b] = n % 2 == 1 ? col[n / 2] : (col[n / 2 - 1] + col[n / 2]) / 2;
        }
        return new Replicates(v);
    }
}
