package painters.eval.metric;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-item outputs recompute their metrics; paired replicates against closed forms, with negative controls. */
class PairedBootstrapTest {

    static final Set<Metric> CLS = Set.of(Metric.ACCURACY, Metric.F1, Metric.MCC);

    /** n items, gold alternating 0/1, prediction right except on the given items. */
    static ItemScores.Classes predictions(int n, List<Integer> wrong) {
        int[] g = new int[n];
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = i % 2;
            p[i] = wrong.contains(i) ? 1 - g[i] : g[i];
        }
        return new ItemScores.Classes(g, p, CLS);
    }

    static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void itemsRecomputeTheirMetricsAndSurviveTheirJson() {
        ItemScores.Classes c = predictions(10, List.of(1, 4, 7));
        int[] all = ItemScores.all(10);
        assertEquals(0.7, c.value(Metric.ACCURACY, all), 1e-15);
        assertEquals(Metric.MCC.of(c.predicted(), c.gold()), c.value(Metric.MCC, all), 1e-15);
        List<JsonObject> json = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            json.add(c.item(i));
        }
        ItemScores back = ItemScores.fromItems(json);
        assertInstanceOf(ItemScores.Classes.class, back);
        assertEquals(c.value(Metric.F1, all), back.value(Metric.F1, all), 0);

        ItemScores.Values v = new ItemScores.Values(new double[] {1, 2, 3, 4}, new double[] {1.5, 1.9, 3.2, 3.9});
        List<JsonObject> vj = List.of(v.item(0), v.item(1), v.item(2), v.item(3));
        assertEquals(Metric.SPEARMAN.of(v.predicted(), v.gold()), ItemScores.fromItems(vj).value(Metric.SPEARMAN,
                ItemScores.all(4)), 0);
    }

    @Test
    void sumsAreRatiosOfSumsAndPerplexitiesExponentiateTheirNegatives() {
        // two documents: ll -10 over 4 words / 20 bytes / 5 tokens, ll -2 over 1 word / 4 bytes / 1 token
        ItemScores.Sums s = ItemScores.Sums.builder()
                .add(Map.of(Metric.WORD_PERPLEXITY, new double[] {-10, 4}, Metric.BITS_PER_BYTE, new double[] {-10, 20},
                        Metric.PERPLEXITY, new double[] {-10, 5}, Metric.ACCURACY, new double[] {1, 1}), null)
                .add(Map.of(Metric.WORD_PERPLEXITY, new double[] {-2, 1}, Metric.BITS_PER_BYTE, new double[] {-2, 4},
                        Metric.PERPLEXITY, new double[] {-2, 1}, Metric.ACCURACY, new double[] {0, 1}), null)
                .build();
        int[] all = ItemScores.all(2);
        assertEquals(Math.exp(12.0 / 5), s.value(Metric.WORD_PERPLEXITY, all), 1e-12);
        assertEquals(12.0 / 24 / Math.log(2), s.value(Metric.BITS_PER_BYTE, all), 1e-12);
        assertEquals(Math.exp(2), s.value(Metric.PERPLEXITY, all), 1e-12);
        assertEquals(0.5, s.value(Metric.ACCURACY, all));
        assertEquals(Math.exp(10.0 / 4), s.value(Metric.WORD_PERPLEXITY, new int[] {0, 0}), 1e-12, "a resample");
        JsonObject first = s.item(0);
        assertEquals(-10, first.getAsJsonArray("word_perplexity").get(0).getAsDouble());
        assertEquals(1.0, first.get("accuracy").getAsDouble(), "a one-item denominator is written as a number");
        ItemScores back = ItemScores.fromItems(List.of(s.item(0), s.item(1)));
        for (Metric m : s.metrics()) {
            assertEquals(s.value(m, all), back.value(m, all), 1e-15, m.id());
        }
        assertThrows(IllegalArgumentException.class, () -> ItemScores.Sums.builder()
                .add(Map.of(Metric.ACCURACY, new double[] {1, 1}), null)
                .add(Map.of(Metric.PERPLEXITY, new double[] {-1, 1}), null), "items with different metrics");
    }

    @Test
    void aPlanIdenticalToTheFullModelHasADifferenceErrorOfExactlyZero() {
        ItemScores.Classes full = predictions(300, range(0, 60));
        ItemScores.Classes same = predictions(300, range(0, 60));
        int[][] d = PairedBootstrap.draws("task", 300);
        Replicates a = PairedBootstrap.replicates(full, Metric.ACCURACY, d);
        Replicates b = PairedBootstrap.replicates(same, Metric.ACCURACY, d);
        assertEquals(0.0, b.minus(a).se(), 0.0);
        assertTrue(a.se() > 0.02, "each alone still has its error: " + a.se());
        // negative control: drawn independently, the same predictions would differ by sqrt(2) se
        Replicates other = PairedBootstrap.replicates(same, Metric.ACCURACY, PairedBootstrap.draws("another task", 300));
        assertEquals(Math.sqrt(2) * a.se(), other.minus(a).se(), 0.2 * a.se());
    }

    @Test
    void thePairedErrorOfAnAccuracyDifferenceIsTheDisagreementsError() {
        // plan a wrong on items 0..59, plan b wrong on 10..69: they disagree on 20 items (10 each way)
        int n = 300;
        ItemScores.Classes a = predictions(n, range(0, 60));
        ItemScores.Classes b = predictions(n, range(10, 70));
        int[][] d = PairedBootstrap.draws("t", n);
        Replicates diff = PairedBootstrap.replicates(a, Metric.ACCURACY, d).minus(
                PairedBootstrap.replicates(b, Metric.ACCURACY, d));
        // per item x_i = 1[a right] - 1[b right] in {-1, 0, 1}, mean 0: var = 20/n, se = sqrt(var / n)
        double closed = Math.sqrt((20.0 / n) / n);
        assertEquals(closed, diff.se(), 0.08 * closed, "paired bootstrap vs closed form");
        double unpaired = Math.sqrt(2 * 0.8 * 0.2 / n);
        assertTrue(diff.se() < 0.5 * unpaired, "paired " + diff.se() + " vs unpaired " + unpaired);
    }

    @Test
    void drawsAndNoiseAreFixedByTheirNamesAlone() {
        assertArrayEquals(PairedBootstrap.draws("sst2", 50)[999], PairedBootstrap.draws("sst2", 50)[999]);
        assertFalse(Arrays.equals(PairedBootstrap.draws("sst2", 50)[0], PairedBootstrap.draws("rte", 50)[0]));
        assertArrayEquals(PairedBootstrap.noise("k", 0.1).values(), PairedBootstrap.noise("k", 0.1).values());
        assertEquals(0.1, PairedBootstrap.noise("k", 0.1).se(), 0.01);
        assertEquals(0.0, PairedBootstrap.noise("k", 0.1).minus(PairedBootstrap.noise("k", 0.1)).se(), 0.0);
    }

    @Test
    void aMedianOverTasksIsTakenReplicateByReplicate() {
        Replicates x = new Replicates(new double[] {1, 2, 3});
        Replicates y = new Replicates(new double[] {3, 0, 3});
        Replicates z = new Replicates(new double[] {2, 1, 0});
        assertArrayEquals(new double[] {2, 1, 3}, Replicates.median(List.of(x, y, z)).values());
        assertArrayEquals(new double[] {2, 1, 2}, Replicates.mean(List.of(x, y, z)).values(), 1e-15);
        assertArrayEquals(new double[] {2.5, 0.5, 1.5}, Replicates.median(List.of(y, z)).values());
    }
}
