package painters.eval.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Welch's comparison against scipy 1.17 ({@code scipy.stats.ttest_ind(b, a, equal_var=False)} and {@code t.ppf}). */
class WelchTest {

    static Welch of(double[] a, double[] b) {
        return Welch.of(mean(a), Bootstrap.sd(a) / Math.sqrt(a.length), a.length, mean(b), Bootstrap.sd(b)
                / Math.sqrt(b.length), b.length);
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    @Test
    void twoSeedsEachNeedALargeDifference() {
        // scipy: statistic -4.919349550499538, df 1.4705882352941175; t.ppf(0.975, df) = 6.188114940769253
        Welch w = of(new double[] {0.8, 0.9}, new double[] {0.2, 0.4});
        assertEquals(-0.55, w.difference(), 1e-12);
        assertEquals(0.11180339887498948, w.se(), 1e-12);
        assertEquals(1.4705882352941175, w.df(), 1e-9);
        assertEquals(6.188114940769253, w.critical(), 1e-6);
        assertEquals(Welch.Call.WITHIN, w.call(), "|t| = 4.92 < 6.19");
        // negative control: the same difference read against 2 standard errors would have been called
        assertTrue(w.difference() < -2 * w.se());
    }

    @Test
    void moreReplicatesCallIt() {
        // scipy: statistic -23.94478943687898, df 4.492227979274602; se 0.011902380714238079; t.ppf = 2.660484044812007
        Welch w = of(new double[] {0.80, 0.82, 0.81}, new double[] {0.50, 0.55, 0.52, 0.53});
        assertEquals(0.011902380714238079, w.se(), 1e-12);
        assertEquals(4.492227979274602, w.df(), 1e-9);
        assertEquals(2.660484044812007, w.critical(), 1e-6);
        assertEquals(-23.94478943687898, w.difference() / w.se(), 1e-9);
        assertEquals(Welch.Call.LOWER, w.call());
        assertEquals(Welch.Call.HIGHER, of(new double[] {0.50, 0.55, 0.52, 0.53}, new double[] {0.80, 0.82, 0.81}).call());
    }

    @Test
    void oneReplicateIsNotCalled() {
        Welch w = Welch.of(0.8, Double.NaN, 1, 0.2, 0.1, 2);
        assertEquals(Welch.Call.NOT_CALLED, w.call());
        assertEquals(-0.6, w.difference(), 1e-12);
        assertTrue(Double.isNaN(w.se()));
    }
}
