package painters.study.recovery;

import java.util.List;
import painters.eval.metric.ItemScores;
import painters.eval.metric.Metric;
import painters.eval.metric.PairedBootstrap;
import painters.eval.metric.Replicates;
import painters.study.recovery.RecoverySummary.Curve;

/**
 * Curve points compared item by item. Every run of a recovery study is scored on the same held-out items, so a
 * difference between two points (the control's last against a plan's first) is a paired comparison: one bootstrap
 * replicate resamples the item indices once ({@link PairedBootstrap#draws}, seeded by the task) and applies them to
 * both points, and the standard deviation over replicates of the difference (or of a ratio of differences) is its
 * items' error. Available where every run involved kept its items at the point ({@link Curve#items}).
 */
final class PairedItems {

    private PairedItems() {}

    /**
     * The replicates of the mean over {@code runs} of point {@code i}'s primary score, in score units
     * ({@link RecoverySummary#score}: -ln of a perplexity); null unless every run kept that point's items, all of one
     * size.
     */
    static Replicates mean(List<Curve> runs, int i) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        int n = -1;
        for (Curve r : runs) {
            ItemScores items = r.itemsAt(i);
            if (items == null || (n >= 0 && items.size() != n)) {
                return null;
            }
            n = items.size();
        }
        Curve first = runs.get(0);
        int[][] draws = PairedBootstrap.draws(first.task(), n);
        Metric m = Metric.parse(first.metric());
        double[] v = new double[draws.length];
        for (Curve r : runs) {
            Replicates rep = PairedBootstrap.replicates(r.itemsAt(i), m, draws);
            for (int b = 0; b < v.length; b++) {
                v[b] += RecoverySummary.score(r, rep.values()[b]) / runs.size();
            }
        }
        return new Replicates(v);
    }

    /** The items' error of {@code a - b} (NaN where either is null). */
    static double differenceSe(Replicates a, Replicates b) {
        return a == null || b == null ? Double.NaN : a.minus(b).se();
    }

    /** The items' error of {@code (a - b) / (c - d)} replicate by replicate (NaN where any is null). */
    static double ratioSe(Replicates a, Replicates b, Replicates c, Replicates d) {
        if (a == null || b == null || c == null || d == null) {
            return Double.NaN;
        }
        return a.minus(b).combine(c.minus(d), (x, y) -> x / y).se();
    }
}
