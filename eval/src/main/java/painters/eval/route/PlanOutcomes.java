package painters.eval.route;

import java.util.Arrays;
import painters.model.UserInputException;

/**
 * What each of K plans scores on each scored input, so that any per-input choice of plans can be scored and two
 * choices compared on the same inputs. A score is a ratio of sums, {@code r = sum_i v[i][k_i] / sum_i w[i]}: for
 * accuracy {@code v} is 1 when the plan's prediction is right and {@code w = 1}; for perplexity {@code v} is the
 * input's summed negative log-likelihood (nats) and {@code w} its scored tokens, the reported value
 * {@code exp(r)}. Standard errors are the ratio estimator's (delta method over inputs); a comparison of two
 * choices is paired (the same inputs and weights), so its error is that of the per-input differences.
 *
 * @param values per input and plan, {@code [n][K]}
 * @param weights per input, {@code [n]}, > 0
 * @param perplexity whether the value reported is {@code exp(r)} (lower is better) rather than {@code r}
 */
public record PlanOutcomes(double[][] values, double[] weights, boolean perplexity) {

    public PlanOutcomes {
        if (values.length == 0 || values.length != weights.length) {
            throw new UserInputException("plan outcomes: " + values.length + " inputs, " + weights.length
                    + " weights");
        }
        for (double w : weights) {
            if (!(w > 0)) {
                throw new UserInputException("plan outcomes: weights must be > 0, got " + w);
            }
        }
    }

    /** A value with its standard error. */
    public record Estimate(double value, double stderr) {}

    public int inputs() {
        return weights.length;
    }

    public int plans() {
        return values[0].length;
    }

    /** Every input on plan {@code k}. */
    public int[] all(int k) {
        int[] c = new int[inputs()];
        Arrays.fill(c, k);
        return c;
    }

    /** The score of a choice of plan per input (as reported: accuracy, or perplexity), with its standard error. */
    public Estimate score(int[] choice) {
        Estimate r = ratio(perInput(choice));
        return perplexity ? new Estimate(Math.exp(r.value()), Math.exp(r.value()) * r.stderr()) : r;
    }

    /**
     * How much better choice {@code a} is than choice {@code b} on the same inputs (> 0: a is better), with its
     * paired standard error: accuracy {@code a - b}; perplexity the drop in log-perplexity, nats per token.
     */
    public Estimate gain(int[] a, int[] b) {
        return gain(perInput(a), perInput(b));
    }

    /**
     * How much better {@code choice} is than picking the plans at random in the proportions {@code choice} picks
     * them (per input the expectation over that draw, computed exactly): the same expected compute, no use of the
     * input.
     */
    public Estimate gainOverMixture(int[] choice) {
        double[] share = shares(choice, plans());
        double[] mix = new double[inputs()];
        for (int i = 0; i < inputs(); i++) {
            for (int k = 0; k < plans(); k++) {
                mix[i] += share[k] * values[i][k];
            }
        }
        return gain(perInput(choice), mix);
    }

    /** The share of inputs on each of {@code k} plans. */
    public static double[] shares(int[] choice, int k) {
        double[] s = new double[k];
        for (int c : choice) {
            s[c]++;
        }
        for (int c = 0; c < k; c++) {
            s[c] /= choice.length;
        }
        return s;
    }

    /** The mean of a per-plan quantity (block applications, depth) over the inputs, with its standard error. */
    public static Estimate mean(int[] choice, double[] perPlan) {
        int n = choice.length;
        double sum = 0;
        for (int c : choice) {
            sum += perPlan[c];
        }
        double m = sum / n;
        double ss = 0;
        for (int c : choice) {
            ss += (perPlan[c] - m) * (perPlan[c] - m);
        }
        return new Estimate(m, n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN);
    }

    private double[] perInput(int[] choice) {
        if (choice.length != inputs()) {
            throw new UserInputException("a choice of " + choice.length + " plans for " + inputs() + " inputs");
        }
        double[] v = new double[inputs()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i][choice[i]];
        }
        return v;
    }

    private Estimate gain(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = perplexity ? b[i] - a[i] : a[i] - b[i];
        }
        return ratio(d);
    }

    /** {@code sum v / sum w} and its delta-method standard error over the inputs. */
    private Estimate ratio(double[] v) {
        int n = v.length;
        double sv = 0;
        double sw = 0;
        for (int i = 0; i < n; i++) {
            sv += v[i];
            sw += weights[i];
        }
        double r = sv / sw;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double e = v[i] - r * weights[i];
            ss += e * e;
        }
        double se = n > 1 ? Math.sqrt(ss * n / (n - 1)) / sw : Double.NaN;
        return new Estimate(r, se);
    }
}
