package painters.eval.metric;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bootstrap standard error against closed forms it must agree with. */
class BootstrapTest {

    @Test
    void accuracyAgreesWithTheBinomialStandardError() {
        // 400 items, 234 right (p = 0.585, the full model on wn-bshift): sqrt(p(1-p)/n) = 0.02464
        int n = 400;
        int[] gold = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            gold[i] = i % 2;
            pred[i] = i < 234 ? gold[i] : 1 - gold[i];
        }
        double binomial = Bootstrap.binomial(0.585, n);
        assertEquals(0.024636, binomial, 1e-6);
        double boot = Bootstrap.stderr(Metric.ACCURACY, pred, gold);
        assertEquals(binomial, boot, 0.05 * binomial, "1000 resamples: within 5%");
        assertEquals(boot, Bootstrap.stderr(Metric.ACCURACY, pred, gold), 0.0, "deterministic");
    }

    @Test
    void aCorrelationsErrorShrinksLikeOneOverRootN() {
        // Pearson r of a bivariate normal with rho = 0.6: se ~ (1 - rho^2) / sqrt(n) (Fisher) = 0.032 at n = 625
        Random r = new Random(1);
        int n = 625;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
            y[i] = 0.6 * x[i] + 0.8 * r.nextGaussian();
        }
        double se = Bootstrap.stderr(Metric.PEARSON, x, y);
        assertEquals((1 - 0.36) / Math.sqrt(n), se, 0.2 * (1 - 0.36) / Math.sqrt(n));
        assertTrue(Double.isNaN(Bootstrap.stderr(Metric.PEARSON, new double[] {1, 2}, new double[] {2, 1})),
                "too few pairs: unknown, not zero");
    }

    @Test
    void aPerfectScoreHasNoSpreadAndUndefinedResamplesAreSkipped() {
        int[] g = {0, 1, 0, 1, 1, 0};
        assertEquals(0.0, Bootstrap.stderr(Metric.ACCURACY, g, g), 0.0);
        assertEquals(0.0, Bootstrap.binomial(1.0, 50), 0.0);
        assertEquals(Math.sqrt(2.0) / 2, Bootstrap.sd(new double[] {1, 2, Double.NaN}), 1e-12);
    }

    @Test
    void aPerplexityOverWindowsOfUnequalLengthAgreesWithTheRatioEstimatorsLinearisedError() {
        // 300 windows of 20..120 tokens, log-likelihood per token about -2.5 with window-to-window spread: ln ppl is the
        // ratio -sum ll / sum n, whose delta-method error is sqrt(sum (ll_i - r n_i)^2) / sum n (Cochran 1977, 6.3)
        Random rnd = new Random(7);
        int m = 300;
        ItemScores.Sums.Builder b = ItemScores.Sums.builder();
        double[] ll = new double[m];
        double[] n = new double[m];
        for (int i = 0; i < m; i++) {
            n[i] = 20 + rnd.nextInt(101);
            ll[i] = n[i] * (-2.5 + 0.4 * rnd.nextGaussian());
            b.add(Map.of(Metric.PERPLEXITY, new double[] {ll[i], n[i]}), null);
        }
        ItemScores.Sums items = b.build();
        double sl = Arrays.stream(ll).sum();
        double sn = Arrays.stream(n).sum();
        double r = sl / sn;
        double ss = 0;
        for (int i = 0; i < m; i++) {
            ss += (ll[i] - r * n[i]) * (ll[i] - r * n[i]);
        }
        double seLog = Math.sqrt(ss * m / (m - 1.0)) / sn;
        double ppl = Math.exp(-r);
        assertEquals(ppl, items.value(Metric.PERPLEXITY, ItemScores.all(m)), 1e-9 * ppl);
        double boot = Bootstrap.stderr(items, Metric.PERPLEXITY);
        assertEquals(ppl * seLog, boot, 0.06 * ppl * seLog, "1000 resamples: within 6% of the delta method");
        // control: windows of unequal length with the same log-likelihood per token leave the ratio unmoved
        ItemScores.Sums.Builder flat = ItemScores.Sums.builder();
        for (int i = 0; i < m; i++) {
            flat.add(Map.of(Metric.PERPLEXITY, new double[] {-2.5 * n[i], n[i]}), null);
        }
        assertEquals(0.0, Bootstrap.stderr(flat.build(), Metric.PERPLEXITY), 1e-9);
        assertTrue(Double.isNaN(Bootstrap.stderr(ItemScores.Sums.builder()
                .add(Map.of(Metric.PERPLEXITY, new double[] {-5, 2}), null).build(), Metric.PERPLEXITY)),
                "one window: no error");
    }
}
