package painters.eval.route;

import painters.model.UserInputException;

/**
 * A linear router over {@code K} plans: {@code p(x) = softmax(W^T z(x) + b)}, {@code z} the input's features
 * standardised by the training features' mean and standard deviation. Trained on each training input's cost under
 * each plan ({@code c[i][k]}, the plan's loss on the input plus the compute penalty of its block applications) by
 * minimising the expected cost {@code (1/n) sum_i sum_k p_k(x_i) c'[i][k] + (l2/2) |W|^2}, where {@code c'} is the
 * cost less its per-input minimum, divided by one scale for all inputs (the root mean square of those
 * differences): the same minimisers as the raw costs, and an {@code l2} that means the same whatever the costs'
 * units. The expectation over the K plans is computed exactly, so its gradient is exact
 * ({@code dJ/dlogit_k = p_k (c'_k - sum_j p_j c'_j) / n}): no straight-through or Gumbel-softmax estimate is needed
 * when every plan's cost on a training input is known. Full-batch gradient descent from zero with a backtracking
 * (Armijo) line search: a per-coordinate method such as Adam would blow the incoherent gradients of the weights up
 * to the size of the bias's coherent one and route on noise. The objective is linear in {@code p}, so its
 * minimisers are hard choices; at inference the router takes the most probable plan ({@link #route}).
 */
public final class Router {

    /**
     * How a router is trained.
     *
     * @param steps       gradient-descent steps at most (it stops earlier when the gradient vanishes)
     * @param initialStep the line search's first step size
     * @param l2          weight of the L2 penalty on W (not on the bias), relative to the normalised costs
     */
    public record Fit(int steps, double initialStep, double l2) {
        public Fit {
            if (steps < 1 || !(initialStep > 0) || l2 < 0) {
                throw new UserInputException("router fit: steps >= 1, initialStep > 0, l2 >= 0; got " + steps
                        + ", " + initialStep + ", " + l2);
            }
        }
    }

    private final double[] mean;
    private final double[] std;
    private final double[][] w;     // [d][K]
    private final double[] b;       // [K]
    private final double objective;

    private Router(double[] mean, double[] std, double[][] w, double[] b, double objective) {
        this.mean = mean;
        this.std = std;
        this.w = w;
        this.b = b;
        this.objective = objective;
    }

    /** Trains a router on features {@code x [n][d]} and costs {@code cost [n][K]} (lower is better). */
    public static Router fit(double[][] x, double[][] cost, Fit fit) {
        int n = x.length;
        if (n == 0 || cost.length != n) {
            throw new UserInputException("router: " + n + " feature rows and " + cost.length + " cost rows");
        }
        int d = x[0].length;
        int k = cost[0].length;
        if (k < 2) {
            throw new UserInputException("router: needs at least 2 plans to choose from, got " + k);
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j]) + 1e-6;
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) / std[j];
            }
        }
        double[][] c = normalised(cost);
        double[][] w = new double[d][k];
        double[] b = new double[k];
        double[][] gw = new double[d][k];
        double[] gb = new double[k];
        double obj = gradient(z, c, w, b, fit.l2(), gw, gb);
        double t = fit.initialStep();
        for (int step = 0; step < fit.steps(); step++) {
            double g2 = 0;
            for (double[] row : gw) {
                for (double v : row) {
                    g2 += v * v;
                }
            }
            for (double v : gb) {
                g2 += v * v;
            }
            if (g2 < 1e-20) {
                break;
            }
            boolean moved = false;
            while (t > 1e-12) {
                double[][] w2 = new double[d][k];
                double[] b2 = new double[k];
                for (int j = 0; j < d; j++) {
                    for (int q = 0; q < k; q++) {
                        w2[j][q] = w[j][q] - t * gw[j][q];
                    }
                }
                for (int q = 0; q < k; q++) {
                    b2[q] = b[q] - t * gb[q];
                }
                double[][] gw2 = new double[d][k];
                double[] gb2 = new double[k];
                double obj2 = gradient(z, c, w2, b2, fit.l2(), gw2, gb2);
                if (obj2 <= obj - 0.5 * t * g2) {
                    w = w2;
                    b = b2;
                    gw = gw2;
                    gb = gb2;
                    obj = obj2;
                    t *= 2;
                    moved = true;
                    break;
                }
                t /= 2;
            }
            if (!moved) {
                break;
            }
        }
        return new Router(mean, std, w, b, obj);
    }

    /** Costs less each input's minimum, over one scale: the root mean square of those differences (1 if all 0). */
    static double[][] normalised(double[][] cost) {
        int n = cost.length;
        int k = cost[0].length;
        double[][] c = new double[n][k];
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double min = Double.POSITIVE_INFINITY;
            for (double v : cost[i]) {
                min = Math.min(min, v);
            }
            for (int q = 0; q < k; q++) {
                c[i][q] = cost[i][q] - min;
                ss += c[i][q] * c[i][q];
            }
        }
        double scale = ss > 0 ? Math.sqrt(ss / ((double) n * k)) : 1;
        for (double[] row : c) {
            for (int q = 0; q < k; q++) {
                row[q] /= scale;
            }
        }
        return c;
    }

    /**
     * The objective at {@code (w, b)} over standardised inputs {@code z}, its gradient added into {@code gw, gb}.
     * Package-private for the gradient check.
     */
    static double gradient(double[][] z, double[][] cost, double[][] w, double[] b, double l2, double[][] gw,
                           double[] gb) {
        int n = z.length;
        int d = w.length;
        int k = b.length;
        double obj = 0;
        double[] p = new double[k];
        for (int i = 0; i < n; i++) {
            softmax(z[i], w, b, p);
            double expected = 0;
            for (int c = 0; c < k; c++) {
                expected += p[c] * cost[i][c];
            }
            obj += expected / n;
            for (int c = 0; c < k; c++) {
                double g = p[c] * (cost[i][c] - expected) / n;
                gb[c] += g;
                for (int j = 0; j < d; j++) {
                    gw[j][c] += g * z[i][j];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < k; c++) {
                obj += 0.5 * l2 * w[j][c] * w[j][c];
                gw[j][c] += l2 * w[j][c];
            }
        }
        return obj;
    }

    private static void softmax(double[] z, double[][] w, double[] b, double[] p) {
        int k = b.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = b[c];
            for (int j = 0; j < z.length; j++) {
                s += z[j] * w[j][c];
            }
            p[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
    }

    /** The plan probabilities of one input's (raw) features. */
    public double[] probabilities(double[] x) {
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / std[j];
        }
        double[] p = new double[b.length];
        softmax(z, w, b, p);
        return p;
    }

    /** The most probable plan of each input (ties: the lower index). */
    public int[] route(double[][] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = probabilities(x[i]);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The training objective (expected normalised cost plus the L2 term) the fit ended at. */
    public double objective() {
        return objective;
    }
}
