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
