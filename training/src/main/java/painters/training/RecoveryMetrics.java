package painters.training;

import java.util.List;
import painters.model.UserInputException;

/**
 * Summary numbers of a recovery curve (primary score vs optimizer step).
 *
 * @param frozen        score at step 0 (the frozen model with its linear-probe head)
 * @param recovered     score at the last point
 * @param auc           mean score over the run: trapezoidal area under score vs step, divided by the steps
 * @param stepsToTarget first evaluated step whose score reaches {@code target} (at or above it, or at or below
 *                      it for a lower-is-better score), or -1 if none does
 * @param gapClosed     (recovered - frozen) / (reference - frozen): the share of the gap to the reference
 *                      (the unmodified frozen model) that fine-tuning closed; NaN when there was no gap
 */
public record RecoveryMetrics(double frozen, double recovered, double auc, int stepsToTarget, double gapClosed) {

    /**
     * @param steps     evaluated steps, increasing, starting at 0
     * @param scores    primary scores at those steps
     * @param target    score that counts as recovered (e.g. chance + 0.9 x (fine-tuned full - chance))
     * @param reference score the gap is measured to (the unmodified model, frozen)
     */
    public static RecoveryMetrics of(List<Integer> steps, List<Double> scores, double target, double reference) {
        return of(steps, scores, target, reference, true);
    }

    /**
     * As {@link #of(List, List, double, double)}; with {@code higherIsBetter} false (perplexity) a step
     * reaches the target when its score is at or below it.
     */
    public static RecoveryMetrics of(List<Integer> steps, List<Double> scores, double target, double reference,
                                     boolean higherIsBetter) {
        if (steps.isEmpty() || steps.size() != scores.size() || steps.get(0) != 0) {
            throw new UserInputException("a curve needs points starting at step 0, got steps " + steps);
        }
        double frozen = scores.get(0);
        double last = scores.get(scores.size() - 1);
        double area = 0;
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) <= steps.get(i - 1)) {
                throw new UserInputException("steps must increase: " + steps);
            }
            area += (steps.get(i) - steps.get(i - 1)) * (scores.get(i) + scores.get(i - 1)) / 2;
        }
        int span = steps.get(steps.size() - 1);
        double auc = span == 0 ? frozen : area / span;
        int reach = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (higherIsBetter ? scores.get(i) >= target : scores.get(i) <= target) {
                reach = steps.get(i);
                break;
            }
        }
        double gap = reference - frozen;
        double closed = Math.abs(gap) < 1e-12 ? Double.NaN : (last - frozen) / gap;
        return new RecoveryMetrics(frozen, last, auc, reach, closed);
    }
}
