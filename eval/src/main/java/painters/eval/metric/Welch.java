package painters.eval.metric;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's comparison of two means from independent replicates (two regimes, each trained with its own seeds): the
 * difference {@code b - a}, its standard error sqrt(se_a^2 + se_b^2), the Welch-Satterthwaite degrees of freedom
 * {@code se^4 / (se_a^4 / (n_a - 1) + se_b^4 / (n_b - 1))}, and the two-sided 95% critical value of Student's t at
 * those degrees (about 6.2 for two seeds each with equal spreads, 4.3 at 2 degrees): with few seeds only a large
 * difference is called.
 *
 * @param difference b - a
 * @param se         its standard error (NaN when either side has fewer than 2 replicates)
 * @param df         the Welch-Satterthwaite degrees of freedom (NaN when {@code se} is NaN or 0)
 * @param critical   t at 97.5% with {@code df} degrees (NaN where {@code df} is)
 */
public record Welch(double difference, double se, double df, double critical) {

    /** What {@link #call} says. */
    public enum Call {
        HIGHER("higher"), LOWER("lower"), WITHIN("within the errors"), NOT_CALLED("not called: a single replicate");

        private final String words;

        Call(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * @param meanA the first mean, its standard error {@code seA} (sd / sqrt(nA)) and replicate count {@code nA}
     * @param meanB the second, likewise
     */
    public static Welch of(double meanA, double seA, int nA, double meanB, double seB, int nB) {
        double d = meanB - meanA;
        if (nA < 2 || nB < 2 || !Double.isFinite(seA) || !Double.isFinite(seB)) {
            return new Welch(d, Double.NaN, Double.NaN, Double.NaN);
        }
        double se = Math.sqrt(seA * seA + seB * seB);
        if (se == 0) {
            return new Welch(d, 0, Double.NaN, Double.NaN);
        }
        double df = Math.pow(se, 4) / (Math.pow(seA, 4) / (nA - 1) + Math.pow(seB, 4) / (nB - 1));
        return new Welch(d, se, df, new TDistribution(null, df).inverseCumulativeProbability(0.975));
    }

    /** Higher or lower where |difference| exceeds critical x se; not called without replicates on both sides. */
    public Call call() {
        if (Double.isNaN(se)) {
            return Call.NOT_CALLED;
        }
        if (se == 0) {
            return difference > 0 ? Call.HIGHER : difference < 0 ? Call.LOWER : Call.WITHIN;
        }
        return difference > critical * se ? Call.HIGHER : difference < -critical * se ? Call.LOWER : Call.WITHIN;
    }
}
