package painters.eval.metric;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * The standard error of a metric over the scored items, by the bootstrap (Efron 1979): the items are
 * resampled with replacement {@value #RESAMPLES} times with a fixed seed, the metric is recomputed on
 * each resample, and the standard deviation of those values is the standard error. For accuracy this
 * agrees with the binomial sqrt(p(1-p)/n) (tested); for MCC, F1 and the correlations (resampling pairs)
 * it needs no formula. Deterministic: the same predictions give the same error.
 */
public final class Bootstrap {

    public static final int RESAMPLES = 1000;

    /** Fixed, so a score's error is a function of its predictions alone. */
    static final long SEED = 0x5EED_B007L;

    private Bootstrap() {}

    /** Standard error of {@code m} on class predictions; NaN when fewer than 2 items. */
    public static double stderr(Metric m, int[] predicted, int[] gold) {
        if (gold.length < 2) {
            return Double.NaN;
        }
        int[] p = new int[gold.length];
        int[] g = new int[gold.length];
        return resampled(m, gold.length, idx -> {
            for (int i = 0; i < idx.length; i++) {
                p[i] = predicted[idx[i]];
                g[i] = gold[idx[i]];
            }
            return m.of(p, g);
        });
    }

    /** Standard error of {@code m} on real predictions (pairs resampled together); NaN when fewer than 3 items. */
    public static double stderr(Metric m, double[] predicted, double[] gold) {
        if (gold.length < 3) {
            return Double.NaN;
        }
        double[] p = new double[gold.length];
        double[] g = new double[gold.length];
        return resampled(m, gold.length, idx -> {
            for (int i = 0; i < idx.length; i++) {
                p[i] = predicted[idx[i]];
                g[i] = gold[idx[i]];
            }
            return m.of(p, g);
        });
    }

    /**
     * Standard error of {@code m} recomputed from per-item outputs on each resample (for a ratio such as a
     * perplexity over windows of unequal length, the ratio of the resampled sums); NaN when fewer than 2 items.
     */
    public static double stderr(ItemScores items, Metric m) {
        if (items.size() < 2) {
            return Double.NaN;
        }
        return resampled(m, items.size(), idx -> items.value(m, idx));
    }

    /** The standard deviation of {@code metric} over {@value #RESAMPLES} seeded resamples of {@code n} item indices. */
    private static double resampled(Metric m, int n, ToDoubleFunction<int[]> metric) {
        Random r = new Random(SEED + m.ordinal());
        int[] idx = new int[n];
        double[] values = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                idx[i] = r.nextInt(n);
            }
            values[b] = metric.applyAsDouble(idx);
        }
        return sd(values);
    }

    /** Binomial standard error of a proportion {@code p} over {@code n} items: sqrt(p (1 - p) / n). */
    public static double binomial(double p, int n) {
        return n < 1 || Double.isNaN(p) ? Double.NaN : Math.sqrt(p * (1 - p) / n);
    }

    /** Sample standard deviation of the finite values (a resample where the metric is undefined is skipped). */
    static double sd(double[] xs) {
        double sum = 0;
        int k = 0;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                sum += x;
                k++;
            }
        }
        if (k < 2) {
            return Double.NaN;
        }
        double mean = sum / k;
        double ss = 0;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        return Math.sqrt(ss / (k - 1));
    }
}
