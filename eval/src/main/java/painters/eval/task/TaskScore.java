package painters.eval.task;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import painters.eval.metric.Bootstrap;
import painters.eval.metric.ItemScores;
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
 * @param stderr       standard error of each metric over the scored items (bootstrap, or binomial for
 *                     proportions); a metric without one is absent
 * @param items        what the scoring saw on each item, enough to recompute every metric on a resample of
 *                     the items (paired comparisons between plans); null where not kept
 */
public record TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                        String protocol, String dataChecksum, int skipped, boolean degenerate,
                        Map<Metric, Double> stderr, ItemScores items) {

    public TaskScore {
        values = Map.copyOf(values);
        stderr = Map.copyOf(stderr);
        if (items != null && items.size() != n) {
            throw new IllegalArgumentException(task + ": " + items.size() + " item scores for " + n + " items");
        }
    }

    public TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                     String protocol, String dataChecksum, int skipped, boolean degenerate,
                     Map<Metric, Double> stderr) {
        this(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, degenerate, stderr, null);
    }

    /** This score with its per-item outputs. */
    public TaskScore withItems(ItemScores perItem) {
        return new TaskScore(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, degenerate,
                stderr, perItem);
    }

    public TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                     String protocol, String dataChecksum, int skipped, boolean degenerate) {
        this(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, degenerate, Map.of());
    }

    /** The standard error of {@code m}, NaN when unknown. */
    public double stderrOf(Metric m) {
        return stderr.getOrDefault(m, Double.NaN);
    }

    /**
     * This score with binomial standard errors for the metrics that are proportions over its {@code n}
     * items (accuracy, acc_norm, exact match) and have none yet.
     */
    public TaskScore withProportionErrors() {
        Map<Metric, Double> se = new LinkedHashMap<>(stderr);
        for (Map.Entry<Metric, Double> e : values.entrySet()) {
            Metric m = e.getKey();
            if ((m == Metric.ACCURACY || m == Metric.ACC_NORM || m == Metric.EXACT_MATCH) && !se.containsKey(m)) {
                se.put(m, Bootstrap.binomial(e.getValue(), n));
            }
        }
        return new TaskScore(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, degenerate, se,
                items);
    }

    public TaskScore(String task, int version, Map<Metric, Double> values, Metric primary, double chance, int n,
                     String protocol, String dataChecksum, int skipped) {
        this(task, version, values, primary, chance, n, protocol, dataChecksum, skipped, false);
    }

    public double primaryValue() {
        return values.get(primary);
    }

    /**
     * The per-item outputs as a study stores them, one JSON object per item: its task, its {@code doc_id} (0..n-1 in
     * the task's item order), then the item's scoring fields; none when the items were not kept.
     */
    public List<JsonObject> itemLines() {
        List<JsonObject> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("task", task);
            o.addProperty("doc_id", i);
            items.item(i).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
            out.add(o);
        }
        return out;
    }
}
