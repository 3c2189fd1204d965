package painters.eval.metric;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one scoring of a task saw on each of its items, in item order: enough to recompute every metric of the
 * task on any resample of the items ({@link #value}), so that two plans scored on the same items can be compared
 * item by item ({@link PairedBootstrap}). Written one JSON object per item ({@link #item}), read back by
 * {@link #fromItems}:
 * <ul>
 *   <li>{@link Classes}: a head's class prediction and the gold class ({@code "gold"}, {@code "pred"});</li>
 *   <li>{@link Values}: a real prediction and the gold value ({@code "gold_value"}, {@code "pred_value"}):
 *   correlations;</li>
 *   <li>{@link Sums}: per metric a numerator and a denominator summed over items, as lm-eval's
 *   {@code --log_samples} writes them: {@code "acc": 1} (a 0/1 value over one item), {@code "perplexity": -2.3} (the
 *   item's log-likelihood), {@code "word_perplexity": [-812.4, 310]} (log-likelihood and words); the metric is
 *   the ratio of the sums ({@code acc}, {@code acc_norm}, {@code exact_match}), {@code exp(-ratio)} (the
 *   perplexities) or {@code -ratio / ln 2} (bits per byte). Extra per-item fields (each choice's
 *   log-likelihood) ride along for the reader.</li>
 * </ul>
 */
public sealed interface ItemScores permits ItemScores.Classes, ItemScores.Values, ItemScores.Sums {

    /** Items scored. */
    int size();

    /** The metrics it can recompute. */
    Set<Metric> metrics();

    /** {@code m} on the items {@code idx} (a resample: indices may repeat); the full value for 0..n-1. */
    double value(Metric m, int[] idx);

    /** Item {@code i} as a JSON object (its scoring fields only; the writer adds where it belongs). */
    JsonObject item(int i);

    /** Every item in order, 0..n-1. */
    static int[] all(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * Items read back from their JSON objects (as {@link #item} wrote them, in item order); the fields of the first
     * decide the kind. Throws {@link IllegalArgumentException} naming the item when one does not fit.
     */
    static ItemScores fromItems(List<JsonObject> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no items");
        }
        JsonObject first = items.get(0);
        int n = items.size();
        if (first.has("gold") && first.has("pred")) {
            int[] g = new int[n];
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                g[i] = field(items, i, "gold").getAsInt();
                p[i] = field(items, i, "pred").getAsInt();
            }
            return new Classes(g, p, Set.of(Metric.ACCURACY, Metric.F1, Metric.MCC));
        }
        if (first.has("gold_value") && first.has("pred_value")) {
            double[] g = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = field(items, i, "gold_value").getAsDouble();
                p[i] = field(items, i, "pred_value").getAsDouble();
            }
            return new Values(g, p);
        }
        Map<Metric, double[][]> sums = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            if (first.has(m.id())) {
                double[] num = new double[n];
                double[] den = new double[n];
                for (int i = 0; i < n; i++) {
                    JsonElement e = field(items, i, m.id());
                    if (e.isJsonArray()) {
                        num[i] = e.getAsJsonArray().get(0).getAsDouble();
                        den[i] = e.getAsJsonArray().get(1).getAsDouble();
                    } else {
                        num[i] = e.getAsDouble();
                        den[i] = 1;
                    }
                }
                sums.put(m, new double[][] {num, den});
            }
        }
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("item 0 has no scoring fields: " + first);
        }
        List<JsonObject> extra = new ArrayList<>();
        for (JsonObject o : items) {
            JsonObject x = new JsonObject();
            for (String k : o.keySet()) {
                if (!k.equals("cell") && !k.equals("task") && !k.equals("doc_id") && sums.keySet().stream()
                        .noneMatch(m -> m.id().equals(k))) {
                    x.add(k, o.get(k));
                }
            }
            extra.add(x);
        }
        return new Sums(sums, extra);
    }

    private static JsonElement field(List<JsonObject> items, int i, String key) {
        JsonElement e = items.get(i).get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("item " + i + " has no \"" + key + "\"");
        }
        return e;
    }

    /**
     * Class predictions of a head.
     *
     * @param gold      gold class per item
     * @param predicted predicted class per item
     * @param metrics   the metrics the task reports
     */
    record Classes(int[] gold, int[] predicted, Set<Metric> metrics) implements ItemScores {
        public Classes {
            if (gold.length != predicted.length) {
                throw new IllegalArgumentException(gold.length + " gold classes, " + predicted.length + " predictions");
            }
            metrics = Set.copyOf(metrics);
        }

        /** Equal when every item was scored the same (gold and prediction); the metrics reported do not count. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Classes c && Arrays.equals(gold, c.gold) && Arrays.equals(predicted, c.predicted);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(gold) + Arrays.hashCode(predicted);
        }

        @Override
        public int size() {
            return gold.length;
        }

        @Override
        public double value(Metric m, int[] idx) {
            int[] p = new int[idx.length];
            int[] g = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                p[i] = predicted[idx[i]];
                g[i] = gold[idx[i]];
            }
            return m.of(p, g);
        }

        @Override
        public JsonObject item(int i) {
            JsonObject o = new JsonObject();
            o.addProperty("gold", gold[i]);
            o.addProperty("pred", predicted[i]);
            return o;
        }
    }

    /**
     * Real predictions (a regression head, a cosine similarity) against gold values: correlations.
     *
     * @param gold      gold value per item
     * @param predicted prediction per item
     */
    record Values(double[] gold, double[] predicted) implements ItemScores {
        public Values {
            if (gold.length != predicted.length) {
                throw new IllegalArgumentException(gold.length + " gold values, " + predicted.length + " predictions");
            }
        }

        /** Equal when every item was scored the same. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Values v && Arrays.equals(gold, v.gold) && Arrays.equals(predicted, v.predicted);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(gold) + Arrays.hashCode(predicted);
        }

        @Override
        public int size() {
            return gold.length;
        }

        @Override
        public Set<Metric> metrics() {
            return Set.of(Metric.PEARSON, Metric.SPEARMAN);
        }

        @Override
        public double value(Metric m, int[] idx) {
            double[] p = new double[idx.length];
            double[] g = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                p[i] = predicted[idx[i]];
                g[i] = gold[idx[i]];
            }
            return m.of(p, g);
        }

        @Override
        public JsonObject item(int i) {
            JsonObject o = new JsonObject();
            o.addProperty("gold_value", gold[i]);
            o.addProperty("pred_value", predicted[i]);
            return o;
        }
    }

    /**
     * Metrics that are ratios of sums over items.
     *
     * @param sums  per metric {@code {numerators, denominators}}, one of each per item (a log-likelihood for the
     *              perplexities and bits per byte, a 0/1 value for the proportions)
     * @param extra per item, fields kept for the reader (may be empty objects)
     */
    record Sums(Map<Metric, double[][]> sums, List<JsonObject> extra) implements ItemScores {
        public Sums {
            sums = Map.copyOf(sums);
            extra = List.copyOf(extra);
            for (Map.Entry<Metric, double[][]> e : sums.entrySet()) {
                if (e.getValue()[0].length != extra.size() || e.getValue()[1].length != extra.size()) {
                    throw new IllegalArgumentException(e.getKey().id() + ": " + e.getValue()[0].length + " values for "
                            + extra.size() + " items");
                }
            }
        }

        /** Equal when every item was scored the same: the same sums per metric and the same extra fields. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Sums x && sums.keySet().equals(x.sums.keySet()) && extra.equals(x.extra)
                    && sums.entrySet().stream().allMatch(e -> Arrays.deepEquals(e.getValue(), x.sums.get(e.getKey())));
        }

        @Override
        public int hashCode() {
            int h = extra.hashCode();
            for (Map.Entry<Metric, double[][]> e : sums.entrySet()) {
                h += e.getKey().hashCode() ^ Arrays.deepHashCode(e.getValue());
            }
            return h;
        }

        /** A builder of per-item sums, item by item. */
        public static Builder builder() {
            return new Builder();
        }

        @Override
        public int size() {
            return extra.size();
        }

        @Override
        public Set<Metric> metrics() {
            return sums.keySet();
        }

        @Override
        public double value(Metric m, int[] idx) {
            double[][] s = sums.get(m);
            if (s == null) {
                throw new IllegalArgumentException("no per-item " + m.id() + " (have " + sums.keySet() + ")");
            }
            double num = 0;
            double den = 0;
            for (int i : idx) {
                num += s[0][i];
                den += s[1][i];
            }
            double r = num / den;
            return switch (m) {
                case PERPLEXITY, WORD_PERPLEXITY, BYTE_PERPLEXITY -> Math.exp(-r);
                case BITS_PER_BYTE -> -r / Math.log(2);
                default -> r;
            };
        }

        @Override
        public JsonObject item(int i) {
            JsonObject o = new JsonObject();
            for (Metric m : Metric.values()) {
                double[][] s = sums.get(m);
                if (s == null) {
                    continue;
                }
                if (s[1][i] == 1) {
                    o.addProperty(m.id(), s[0][i]);
                } else {
                    JsonArray a = new JsonArray();
                    a.add(new JsonPrimitive(s[0][i]));
                    a.add(new JsonPrimitive(s[1][i]));
                    o.add(m.id(), a);
                }
            }
            extra.get(i).entrySet().forEach(e -> o.add(e.getKey(), e.getValue()));
            return o;
        }

        /** Collects items one at a time. */
        public static final class Builder {
            private final Map<Metric, List<double[]>> sums = new LinkedHashMap<>();
            private final List<JsonObject> extra = new ArrayList<>();

            private Builder() {}

            /**
             * Adds one item: {@code m -> {numerator, denominator}} for each metric (the same metrics for every
             * item), and its extra fields (may be null).
             */
            public Builder add(Map<Metric, double[]> values, JsonObject fields) {
                if (!extra.isEmpty() && !values.keySet().equals(sums.keySet())) {
                    throw new IllegalArgumentException("item " + extra.size() + " has metrics " + values.keySet()
                            + ", earlier items " + sums.keySet());
                }
                values.forEach((m, v) -> sums.computeIfAbsent(m, k -> new ArrayList<>()).add(v));
                extra.add(fields == null ? new JsonObject() : fields);
                return this;
            }

            public Sums build() {
                Map<Metric, double[][]> out = new LinkedHashMap<>();
                sums.forEach((m, vs) -> {
                    double[][] s = new double[2][vs.size()];
                    for (int i = 0; i < vs.size(); i++) {
                        s[0][i] = vs.get(i)[0];
                        s[1][i] = vs.get(i)[1];
                    }
                    out.put(m, s);
                });
                return new Sums(out, extra);
            }
        }
    }
}
