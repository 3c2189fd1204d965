package painters.eval.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.metric.Metric;

/** The SameDiff head learns what a linear model can learn, deterministically from its seed. */
class LinearHeadTest {

    /** Three Gaussian blobs in 8-D with a large-offset nuisance dimension (like BERT's outlier dims). */
    static Object[] blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.5 + (j == y[i] ? 2.0 : 0.0));
            }
            x[i][7] = (float) (300 + r.nextGaussian() * 50);
        }
        return new Object[] {Nd4j.createFromArray(x), y};
    }

    /** A last batch of one example (n = 33, batch 32) used to crash with "Can't concatenate 0 arrays". */
    @Test
    void aTrainingSetOneMoreThanAMultipleOfTheBatchTrains() {
        for (int n : new int[] {33, 65, 1 + 32 * 7}) {
            Object[] train = blobs(n, 3);
            LinearHead h = LinearHead.classifier((INDArray) train[0], (int[]) train[1], 3, HeadConfig.frozenProtocol(1));
            double acc = Metric.ACCURACY.of(h.predictClasses((INDArray) train[0]), (int[]) train[1]);
            assertTrue(acc > 0.8, n + " examples: training accuracy " + acc);
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = ((int[]) train[1])[i];
            }
            assertEquals(n, LinearHead.regressor((INDArray) train[0], t, HeadConfig.frozenProtocol(1))
                    .predictValues((INDArray) train[0]).length);
        }
    }

    @Test
    void classifierSeparatesBlobs() {
        Object[] train = blobs(600, 1);
        Object[] test = blobs(300, 2);
        LinearHead h = LinearHead.classifier((INDArray) train[0], (int[]) train[1], 3, HeadConfig.frozenProtocol(7));
        double acc = Metric.ACCURACY.of(h.predictClasses((INDArray) test[0]), (int[]) test[1]);
        assertTrue(acc > 0.9, "accuracy " + acc);
        LinearHead again = LinearHead.classifier((INDArray) train[0], (int[]) train[1], 3, HeadConfig.frozenProtocol(7));
        assertArrayEquals(h.predictClasses((INDArray) test[0]), again.predictClasses((INDArray) test[0]),
                "same seed, same head");
    }

    @Test
    void regressorFitsALinearTarget() {
        Random r = new Random(3);
        float[][] x = new float[500][4];
        double[] y = new double[500];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            y[i] = 2 * x[i][0] - x[i][2] + 0.1 * r.nextGaussian() + 3;
        }
        INDArray xs = Nd4j.createFromArray(x);
        LinearHead h = LinearHead.regressor(xs, y, new HeadConfig(3e-2, 20, 32, 0, 1, 0, true));
        double p = Metric.PEARSON.of(h.predictValues(xs), y);
        assertTrue(p > 0.99, "pearson " + p);
    }

    @Test
    void foldsAreStratifiedAndSeeded() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 30 ? 1 : 0;
        }
        int[] f = CrossValidation.folds(100, 5, labels, 11);
        for (int k = 0; k < 5; k++) {
            int size = 0;
            int ones = 0;
            for (int i = 0; i < 100; i++) {
                if (f[i] == k) {
                    size++;
                    ones += labels[i];
                }
            }
            assertEquals(20, size);
            assertEquals(6, ones, "each fold keeps 30% positives");
        }
        assertArrayEquals(f, CrossValidation.folds(100, 5, labels, 11));
    }

    @Test
    void smallTrainingSetsGetAtLeastMinSteps() {
        HeadConfig c = HeadConfig.frozenProtocol(0);
        assertEquals(3, c.epochsFor(8551), "CoLA: 268 steps per epoch, the paper's 3 epochs");
        assertEquals(29, c.epochsFor(222), "a 222-example fold: 7 steps per epoch, 29 epochs reach 200 steps");
    }
}
