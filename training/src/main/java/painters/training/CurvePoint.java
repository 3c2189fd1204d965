package painters.training;

import java.util.Map;
import painters.eval.metric.Metric;

/**
 * One evaluation of a fine-tuning run on the held-out split.
 *
 * @param step     optimizer steps taken (0: the frozen model with its linear-probe head)
 * @param examples training examples seen
 * @param tokens   real training tokens seen
 * @param loss     mean training loss since the previous point (NaN at step 0)
 * @param scores   every metric of the task
 * @param primary  the task's primary metric value
 * @param seconds  wall time since the run (or its first part) started
 */
public record CurvePoint(int step, long examples, long tokens, double loss, Map<Metric, Double> scores, double primary,
                         double seconds) {

    public CurvePoint {
        scores = Map.copyOf(scores);
    }
}
