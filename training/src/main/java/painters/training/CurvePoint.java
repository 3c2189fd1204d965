package painters.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;

/**
 * One evaluation of a fine-tuning run on the held-out split.
 *
 * @param step     optimizer steps taken (0: the frozen model with its linear-probe head)
 * @param examples training examples seen
 * @param tokens   real training tokens seen
 * @param loss     mean training loss since the previous point (NaN at step 0)
 * @param scores   every metric of the held-out evaluation
 * @param stderr   standard errors of those metrics over the held-out items (absent where unknown)
 * @param primary  its primary metric value (higher is better)
 * @param seconds  wall time since the run (or its first part) started
 * @param tasks    further tasks scored at this point (a decoder's LM tasks), task to metric to value
 * @param taskStderr their standard errors over each task's items, task to metric to error (absent where unknown)
 * @param items    what each held-out item scored, in the held-out order (null where not kept: checkpoints written
 *                 before they were)
 */
public record CurvePoint(int step, long examples, long tokens, double loss, Map<Metric, Double> scores,
                         Map<Metric, Double> stderr, double primary, double seconds,
                         Map<String, Map<Metric, Double>> tasks, Map<String, Map<Metric, Double>> taskStderr,
                         ItemScores items) {

    public CurvePoint {
        scores = Map.copyOf(scores);
        stderr = Map.copyOf(stderr);
        tasks = copy(tasks);
        taskStderr = copy(taskStderr);
    }

    public CurvePoint(int step, long examples, long tokens, double loss, Map<Metric, Double> scores, double primary,
                      double seconds) {
        this(step, examples, tokens, loss, scores, Map.of(), primary, seconds, Map.of(), Map.of(), null);
    }

    /** A point of {@code e}, the evaluation after {@code step} steps. */
    static CurvePoint of(int step, long examples, long tokens, double loss, Trainable.Evaluation e, double seconds) {
        return new CurvePoint(step, examples, tokens, loss, e.scores(), e.stderr(), e.primary(), seconds, e.tasks(),
                e.taskStderr(), e.items());
    }

    /** The standard error of {@code m} on {@code task} (null: the held-out split's own metric), NaN when unknown. */
    public double stderrOf(String task, Metric m) {
        Map<Metric, Double> se = task == null ? stderr : taskStderr.getOrDefault(task, Map.of());
        return se.getOrDefault(m, Double.NaN);
    }

    private static Map<String, Map<Metric, Double>> copy(Map<String, Map<Metric, Double>> m) {
        Map<String, Map<Metric, Double>> t = new LinkedHashMap<>();
        m.forEach((k, v) -> t.put(k, Map.copyOf(v)));
        return Collections.unmodifiableMap(t);
    }
}
