package painters.eval.metric;

import java.util.Collection;
import painters.model.UserInputException;

/**
 * The paper's normalisation of a score against chance and the full (unmodified) model:
 * {@code (score - chance) / (full - chance)}: 1 = as good as the full model, 0 = chance. The headline
 * curve is the median over benchmarks (the BERT experiments: the mean).
 */
public final class Normalization {

    private Normalization() {}

    public static double normalize(double score, double chance, double full) {
        if (full == chance) {
            throw new UserInputException("the full model scores at chance (" + full
                    + "): normalisation is undefined for this task");
        }
        return (score - chance) / (full - chance);
    }

    /**
     * A lower-is-better metric without a chance level, normalised against the full model as the ratio of
     * cross-entropies: {@code ln ppl(full) / ln ppl(plan)} for a perplexity, {@code bpb(full) / bpb(plan)} for bits
     * per byte (already a log). 1 = as good as the full model, falling towards 0 as the plan's perplexity grows, above 1
     * when the plan does better. NaN where it is undefined: another kind of metric, or a cross-entropy not above 0.
     */
    public static double crossEntropyRatio(Metric metric, double score, double full) {
        double plan = crossEntropy(metric, score);
        double f = crossEntropy(metric, full);
        return plan > 0 && f > 0 ? f / plan : Double.NaN;
    }

    /**
     * The unpaired standard error of {@link #crossEntropyRatio} by the delta method, the two errors ({@code se} of the
     * plan's {@code score}, {@code fullSe} of {@code full}) taken as independent: r = c(full) / c(score) with c the
     * cross-entropy (ln for a perplexity, whose derivative is 1 / x).
     */
    public static double crossEntropyRatioSe(Metric metric, double score, double se, double full, double fullSe) {
        double cv = crossEntropy(metric, score);
        double cf = crossEntropy(metric, full);
        double dv = metric == Metric.BITS_PER_BYTE ? 1 : 1 / score;
        double df = metric == Metric.BITS_PER_BYTE ? 1 : 1 / full;
        double a = cf / (cv * cv) * dv * se;
        double b = df / cv * fullSe;
        return Math.sqrt(a * a + b * b);
    }

    /** The cross-entropy a lower-is-better metric stands for (its log for a perplexity), NaN for other metrics. */
    public static double crossEntropy(Metric metric, double score) {
        return switch (metric) {
            case PERPLEXITY, WORD_PERPLEXITY, BYTE_PERPLEXITY -> Math.log(score);
            case BITS_PER_BYTE -> score;
            default -> Double.NaN;
        };
    }

    public static double median(Collection<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            throw new UserInputException("median of nothing");
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static double mean(Collection<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average()
                .orElseThrow(() -> new UserInputException("mean of nothing"));
    }

}
