package painters.eval.head;

import java.util.Map;
import painters.eval.metric.Metric;

/**
 * The scores of one task under one plan.
 *
 * @param task         task name
 * @param version      task spec version
 * @param values       every metric of the spec
 * @param primary      the spec's primary metric
 * @param chance       its chance level
 * @param n            examples scored
 * @param protocol     how the score was obtained, in words (zero-shot / head trained on train / k-fold CV)
 * @param dataChecksum sha256 of the data
 * @param skipped      rows skipped by the reader (only when the spec allows it)
 * @param degenerate   the scored split cannot tell models apart (a single class)
 */
public record TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                        String protocol, String dataChecksum, int skipped, boolean degenerate) {

    public TaskScore {
        values = Map.copyOf(values);
    }

    public TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                     String protocol, String dataChecksum, int skipped) {
        this(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, false);
    }

    public double primaryValue() {
        return values.get(primary);
    }
}
