package painters.eval.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

    /** Class probabilities are the softmax of the head's logits, worked out here from its weights, and agree with its classes. */
    @Test
    void probabilitiesAreTheSoftmaxOfTheHeadsLogits() {
        Object[] train = blobs(300, 1);
        INDArray x = (INDArray) blobs(20, 2)[0];
        LinearHead h = LinearHead.classifier((INDArray) train[0], (int[]) train[1], 3, HeadConfig.frozenProtocol(7));
        double[][] p = h.probabilities(x);
        int[] classes = h.predictClasses(x);
        double[][] w = h.weights().toDoubleMatrix();
        double[] b = h.bias().toDoubleVector();
        double[] mean = h.featureMean().toDoubleVector();
        double[] std = h.featureStd().toDoubleVector();
        double[][] rows = x.toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            double[] logit = b.clone();
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < mean.length; j++) {
                    logit[c] += (rows[i][j] - mean[j]) / std[j] * w[j][c];
                }
            }
            double max = Math.max(logit[0], Math.max(logit[1], logit[2]));
            double z = 0;
            for (double l : logit) {
                z += Math.exp(l - max);
            }
            int arg = 0;
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.exp(logit[c] - max) / z, p[i][c], 1e-5, "row " + i + " class " + c);
                arg = p[i][c] > p[i][arg] ? c : arg;
            }
            assertEquals(classes[i], arg, "row " + i);
        }
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

    /**
     * The head's training, computed by hand in doubles: standardise with the training mean and (n-1) standard
     * deviation + 1e-6, zero weights, per step a seeded-shuffle minibatch, softmax cross-entropy averaged over
     * the batch, and ND4J's Adam (bias correction folded into the step size, epsilon outside the square root)
     * with the learning rate decaying linearly to 0 over all steps. Two epochs of three steps (the last batch
     * one example) on 5 examples; the head's float weights must match within 1e-5.
     */
    @Test
    void trainingMatchesAdamComputedByHand() {
        double[][] x = {{0.3, -1.2}, {1.5, 0.4}, {-0.7, 2.2}, {2.1, -0.3}, {-1.4, 0.9}};
        int[] y = {0, 1, 0, 1, 0};
        HeadConfig c = new HeadConfig(0.1, 1, 2, 0.0, 3, 4, true);
        int n = x.length;
        int d = 2;
        int k = 2;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            for (double[] row : x) {
                mean[j] += row[j] / n;
            }
            for (double[] row : x) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / (n - 1);
            }
            std[j] = Math.sqrt(std[j]) + 1e-6;
        }
        double[][] xs = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xs[i][j] = (x[i][j] - mean[j]) / std[j];
            }
        }
        double[][] w = new double[d][k];
        double[] b = new double[k];
        double[][] mw = new double[d][k];
        double[][] vw = new double[d][k];
        double[] mb = new double[k];
        double[] vb = new double[k];
        int epochs = c.epochsFor(n);
        int steps = epochs * ((n + 1) / 2);
        assertEquals(6, steps, "2 epochs of 3 steps reach minSteps 4");
        Random r = new Random(c.seed());
        int[] order = {0, 1, 2, 3, 4};
        int it = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = order.length - 1; i > 0; i--) {       // the seeded Fisher-Yates shuffle of every epoch
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int s = 0; s < n; s += 2, it++) {
                int[] batch = Arrays.copyOfRange(order, s, Math.min(n, s + 2));
                double[][] gw = new double[d][k];
                double[] gb = new double[k];
                for (int ex : batch) {
                    double[] z = new double[k];
                    for (int o = 0; o < k; o++) {
                        z[o] = b[o] + xs[ex][0] * w[0][o] + xs[ex][1] * w[1][o];
                    }
                    double max = Math.max(z[0], z[1]);
                    double sum = Math.exp(z[0] - max) + Math.exp(z[1] - max);
                    for (int o = 0; o < k; o++) {
                        double g = (Math.exp(z[o] - max) / sum - (y[ex] == o ? 1 : 0)) / batch.length;
                        gb[o] += g;
                        for (int j = 0; j < d; j++) {
                            gw[j][o] += xs[ex][j] * g;
                        }
                    }
                }
                double lr = c.learningRate() * (1 - (double) it / steps);
                double stepSize = lr * Math.sqrt(1 - Math.pow(0.999, it + 1)) / (1 - Math.pow(0.9, it + 1));
                for (int o = 0; o < k; o++) {
                    for (int j = 0; j < d; j++) {
                        mw[j][o] = 0.9 * mw[j][o] + 0.1 * gw[j][o];
                        vw[j][o] = 0.999 * vw[j][o] + 0.001 * gw[j][o] * gw[j][o];
                        w[j][o] -= stepSize * mw[j][o] / (Math.sqrt(vw[j][o]) + 1e-8);
                    }
                    mb[o] = 0.9 * mb[o] + 0.1 * gb[o];
                    vb[o] = 0.999 * vb[o] + 0.001 * gb[o] * gb[o];
                    b[o] -= stepSize * mb[o] / (Math.sqrt(vb[o]) + 1e-8);
                }
            }
        }
        float[][] xf = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xf[i][j] = (float) x[i][j];
            }
        }
        LinearHead h = LinearHead.classifier(Nd4j.createFromArray(xf), y, k, c);
        INDArray hw = h.weights();
        INDArray hb = h.bias();
        for (int o = 0; o < k; o++) {
            assertEquals(b[o], hb.getDouble(0, o), 1e-5, "bias " + o);
            for (int j = 0; j < d; j++) {
                assertEquals(w[j][o], hw.getDouble(j, o), 1e-5, "weight " + j + "," + o);
            }
        }
        assertTrue(Math.abs(w[0][0]) > 0.05, "the steps moved the weights: " + w[0][0]);
    }
}
