package painters.eval.metric;

import java.util.Arrays;
import java.util.Locale;
import painters.model.UserInputException;

/**
 * The metrics of the tasks the paper uses. Classification metrics take integer class ids;
 * correlations take real values. F1 is binary, of class 1 (GLUE's MRPC convention). The language-model
 * metrics (acc_norm, perplexities, exact match) are computed by their tasks in {@code painters.eval.lm};
 * here they are names and directions.
 */
public enum Metric {
    ACCURACY, F1, MCC, PEARSON, SPEARMAN,
    /** Multiple choice, argmax of log-likelihood divided by the choice's length in characters. */
    ACC_NORM,
    /** exp(-mean log-likelihood per scored token). */
    PERPLEXITY,
    /** exp(-total log-likelihood / whitespace-separated words). */
    WORD_PERPLEXITY,
    /** exp(-total log-likelihood / UTF-8 bytes). */
    BYTE_PERPLEXITY,
    /** -total log-likelihood / UTF-8 bytes / ln 2. */
    BITS_PER_BYTE,
    /** Generated answer equals the reference after normalisation. */
    EXACT_MATCH;

    /** Whether a larger value is better (false for perplexities and bits per byte). */
    public boolean higherIsBetter() {
        return switch (this) {
            case PERPLEXITY, WORD_PERPLEXITY, BYTE_PERPLEXITY, BITS_PER_BYTE -> false;
            default -> true;
        };
    }

    /** Spec / results name: lower case ({@code mcc}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; "accuracy" is also accepted as "acc". */
    public static Metric parse(String id) {
        if (id.equalsIgnoreCase("acc")) {
            return ACCURACY;
        }
        for (Metric m : values()) {
            if (m.id().equals(id.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new UserInputException("unknown metric \"" + id + "\" (known: "
                + Arrays.stream(values()).map(Metric::id).toList() + ")");
    }

    public boolean isCorrelation() {
        return this == PEARSON || this == SPEARMAN;
    }

    /** Computes the metric on class predictions. */
    public double of(int[] predicted, int[] gold) {
        if (predicted.length != gold.length || gold.length == 0) {
            throw new UserInputException("need equally many predictions and labels (>0), got "
                    + predicted.length + " and " + gold.length);
        }
        return switch (this) {
            case ACCURACY -> accuracy(predicted, gold);
            case F1 -> f1(predicted, gold);
            case MCC -> mcc(predicted, gold);
            default -> of(toDouble(predicted), toDouble(gold));
        };
    }

    /** Computes a correlation on real-valued predictions. */
    public double of(double[] predicted, double[] gold) {
        if (predicted.length != gold.length || gold.length < 2) {
            throw new UserInputException("need equally many predictions and targets (>1), got "
                    + predicted.length + " and " + gold.length);
        }
        return switch (this) {
            case PEARSON -> pearson(predicted, gold);
            case SPEARMAN -> pearson(ranks(predicted), ranks(gold));
            default -> throw new UserInputException(id() + " needs class predictions");
        };
    }

    static double accuracy(int[] p, int[] g) {
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == g[i] ? 1 : 0;
        }
        return (double) ok / p.length;
    }

    static double f1(int[] p, int[] g) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < p.length; i++) {
            tp += p[i] == 1 && g[i] == 1 ? 1 : 0;
            fp += p[i] == 1 && g[i] != 1 ? 1 : 0;
            fn += p[i] != 1 && g[i] == 1 ? 1 : 0;
        }
        return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Matthews correlation, multi-class form (Gorodkin 2004); 0 when undefined, as scikit-learn does. */
    static double mcc(int[] p, int[] g) {
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            k = Math.max(k, Math.max(p[i], g[i]) + 1);
        }
        long[][] c = new long[k][k];
        for (int i = 0; i < p.length; i++) {
            c[g[i]][p[i]]++;
        }
        double s = p.length;
        double correct = 0;
        double[] tk = new double[k];
        double[] pk = new double[k];
        for (int a = 0; a < k; a++) {
            correct += c[a][a];
            for (int b = 0; b < k; b++) {
                tk[a] += c[a][b];
                pk[b] += c[a][b];
            }
        }
        double sumPT = 0;
        double sumPP = 0;
        double sumTT = 0;
        for (int a = 0; a < k; a++) {
            sumPT += pk[a] * tk[a];
            sumPP += pk[a] * pk[a];
            sumTT += tk[a] * tk[a];
        }
        double den = Math.sqrt((s * s - sumPP) * (s * s - sumTT));
        return den == 0 ? 0.0 : (correct * s - sumPT) / den;
    }

    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0.0 : sxy / Math.sqrt(sxx * syy);
    }

    /** Ranks 1..n, ties get the average of their ranks (as scipy's spearmanr). */
    static double[] ranks(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[x.length];
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && x[idx[j + 1]] == x[idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    private static double[] toDouble(int[] a) {
        return Arrays.stream(a).asDoubleStream().toArray();
    }
}
