package painters.eval.metric;

import static org.junit.jupiter.api.Assertions.*;

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
}
