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
 * @param scores   every metric of the held-out evaluation
 * @param primary  its primary metric value (higher is better)
 * @param seconds  wall time since the run (or its first part) started
 * @param tasks    further tasks scored at this point (a decoder's LM tasks), task to metric to value
 */
public record CurvePoint(int step, long examples, long tokens, double loss, Map<Metric, Double> scores, double primary,
                         double seconds, Map<String, Map<Metric, Double>> tasks) {

    public CurvePoint {
        scores = Map.copyOf(scores);
        Map<String, Map<Metric, Double>> t = new java.util.LinkedHashMap<>();
        tasks.forEach((k, v) -> t.put(k, Map.copyOf(v)));
        tasks = java.util.Collections.unmodifiableMap(t);
    }

    public CurvePoint(int step, long examples, long tokens, double loss, Map<Metric, Double> scores, double primary,
                      double seconds) {
        this(step, examples, tokens, loss, scores, primary, seconds, Map.of());
    }
}
