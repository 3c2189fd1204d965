package painters.eval.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand (the arithmetic is in the comments). */
class MetricTest {

    // gold 1 1 1 1 0 0 0 0 0 0 ; pred 1 1 1 0 1 0 0 0 0 0  -> TP 3, FN 1, FP 1, TN 5
    static final int[] GOLD = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    static final int[] PRED = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};

    @Test
    void accuracy() {
        assertEquals(0.8, Metric.ACCURACY.of(PRED, GOLD), 1e-12); // 8 of 10
    }

    @Test
    void f1OfThePositiveClass() {
        // precision 3/4, recall 3/4 -> F1 = 2*3 / (2*3 + 1 + 1) = 0.75
        assertEquals(0.75, Metric.F1.of(PRED, GOLD), 1e-12);
    }

    @Test
    void matthewsCorrelation() {
        // (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (15 - 1) / sqrt(4*4*6*6) = 14/24
        assertEquals(14.0 / 24.0, Metric.MCC.of(PRED, GOLD), 1e-12);
        assertEquals(0.0, Metric.MCC.of(new int[] {1, 1, 1}, new int[] {1, 0, 1}), 1e-12, "constant prediction");
        assertEquals(-1.0, Metric.MCC.of(new int[] {0, 1, 0, 1}, new int[] {1, 0, 1, 0}), 1e-12);
    }

    @Test
    void multiClassMatthews() {
        // 3 classes, confusion (rows gold, cols pred): [[2,1,0],[0,2,0],[1,0,1]]; s=7, correct=5
        // t=(3,2,2) p=(3,3,1): (5*7 - (9+6+2)) / sqrt((49-19)(49-17)) = 18 / sqrt(960)
        int[] gold = {0, 0, 0, 1, 1, 2, 2};
        int[] pred = {0, 0, 1, 1, 1, 0, 2};
        assertEquals(18 / Math.sqrt(960), Metric.MCC.of(pred, gold), 1e-12);
    }

    @Test
    void pearson() {
        // x = 1,2,3,4 ; y = 2,4,5,9: mx 2.5, my 5; sxy = 1.5*3+0.5*1+0.5*0+1.5*4 = 11; sxx = 5; syy = 9+1+0+16 = 26
        assertEquals(11 / Math.sqrt(5 * 26), Metric.PEARSON.of(new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9}), 1e-12);
    }

    @Test
    void spearmanWithTies() {
        // x ranks: 10,20,20,40 -> 1, 2.5, 2.5, 4 ; y = 1,3,2,4 -> ranks 1,3,2,4
        // pearson(1,2.5,2.5,4 ; 1,3,2,4): means 2.5, 2.5; sxy = 2.25+0+0+2.25 = 4.5; sxx = 4.5; syy = 5
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Metric.ranks(new double[] {10, 20, 20, 40}), 0);
        assertEquals(4.5 / Math.sqrt(4.5 * 5), Metric.SPEARMAN.of(new double[] {10, 20, 20, 40}, new double[] {1, 3, 2, 4}),
                1e-12);
        assertEquals(1.0, Metric.SPEARMAN.of(new double[] {1, 5, 9, 100}, new double[] {0, 1, 2, 3}), 1e-12, "monotone");
    }

    @Test
    void normalisation() {
        assertEquals(0.5, Normalization.normalize(0.75, 0.5, 1.0), 1e-12);
        assertEquals(1.0, Normalization.normalize(0.9, 0.5, 0.9), 1e-12);
        assertEquals(-0.25, Normalization.normalize(0.4, 0.5, 0.9), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Normalization.normalize(0.4, 0.5, 0.5));
        assertEquals(2.0, Normalization.median(List.of(3.0, 1.0, 2.0)), 1e-12);
        assertEquals(2.5, Normalization.median(List.of(4.0, 1.0, 2.0, 3.0)), 1e-12);
        assertEquals(2.5, Normalization.mean(List.of(4.0, 1.0, 2.0, 3.0)), 1e-12);
    }

    @Test
    void lengthMismatchIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Metric.ACCURACY.of(new int[] {1}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> Metric.F1.of(new double[] {1, 2}, new double[] {1, 2}));
    }
}
