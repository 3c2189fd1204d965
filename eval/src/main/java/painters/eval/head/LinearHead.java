package painters.eval.head;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A linear head trained with SameDiff on frozen features: softmax regression for classification,
 * least squares for regression, started from zero weights. Features are standardised with the training set's mean and
 * standard deviation (BERT features have a few huge-magnitude dimensions that would otherwise
 * dominate the step size).
 */
public final class LinearHead {

    private final SameDiff sd;
    private final INDArray mean;
    private final INDArray std;
    private final int classes;

    private LinearHead(SameDiff sd, INDArray mean, INDArray std, int classes) {
        this.sd = sd;
        this.mean = mean;
        this.std = std;
        this.classes = classes;
    }

    /** Trains a classifier of {@code classes} classes on {@code x [n, d]} and labels 0..classes-1. */
    public static LinearHead classifier(INDArray x, int[] y, int classes, HeadConfig c) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, y.length, classes);
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("label " + y[i] + " outside 0.." + (classes - 1));
            }
            labels.putScalar(i, y[i], 1f);
        }
        return train(x, labels, classes, c);
    }

    /** Trains a regressor on {@code x [n, d]} and real targets. */
    public static LinearHead regressor(INDArray x, double[] y, HeadConfig c) {
        INDArray t = Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(y.length, 1);
        return train(x, t, 0, c);
    }

    private static LinearHead train(INDArray x, INDArray targets, int classes, HeadConfig c) {
        long n = x.size(0);
        long d = x.size(1);
        INDArray mean = x.mean(0);
        INDArray std = x.std(0).addi(1e-6);
        INDArray xs = x.subRowVector(mean).divRowVector(std).castTo(DataType.FLOAT);
        int out = classes > 0 ? classes : 1;
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, d);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, out);
        Random r = new Random(c.seed());
        // zero init: the problem is convex, and a random start biases short trainings
        SDVariable w = sd.var("w", Nd4j.zeros(DataType.FLOAT, d, out));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, out));
        SDVariable y = in.mmul(w).add(b);
        if (classes > 0) {
            sd.identity("probs", sd.nn.softmax(y, 1));
            sd.loss.softmaxCrossEntropy("loss", label, y, null);
        } else {
            sd.identity("pred", y);
            sd.loss.meanSquaredError("loss", label, y, null);
        }
        sd.setLossVariables("loss");
        // HF run_glue's schedule: the learning rate decays linearly to 0 over training
        int totalSteps = c.epochsFor(n) * (int) ((n + c.batchSize() - 1) / c.batchSize());
        Adam adam = c.linearDecay()
                ? new Adam(new PolySchedule(ScheduleType.ITERATION, c.learningRate(), 1.0, totalSteps))
                : new Adam(c.learningRate());
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(adam)
                .dataSetFeatureMapping("in").dataSetLabelMapping("label");
        if (c.weightDecay() > 0) {
            tc.weightDecay(c.weightDecay(), true);   // decoupled (AdamW-style), scaled by the learning rate
        }
        sd.setTrainingConfig(tc.build());
        int[] order = new int[(int) n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        boolean first = true;
        for (int epoch = 0; epoch < c.epochsFor(n); epoch++) {
            shuffle(order, r);
            for (int s = 0; s < n; s += c.batchSize()) {
                int e = (int) Math.min(n, s + c.batchSize());
                int[] idx = java.util.Arrays.copyOfRange(order, s, e);
                DataSet ds = new DataSet(rows(xs, idx), rows(targets, idx));
                if (first) {
                    quietly(() -> sd.fit(ds));  // M2.1 prints every differentiated op while building gradients
                    first = false;
                } else {
                    sd.fit(ds);
                }
            }
        }
        return new LinearHead(sd, mean, std, classes);
    }

    /**
     * Rows {@code idx} of a 2-D array as {@code [rows, width]}. INDArray.get(indices) fails for a single
     * index ("Can't concatenate 0 arrays", which crashed every head whose training set is one more than a
     * multiple of the batch), so one row is taken as a slice; more rows as before (same arrays, same numbers).
     */
    private static INDArray rows(INDArray a, int[] idx) {
        if (idx.length == 1) {
            return a.get(NDArrayIndex.interval(idx[0], idx[0] + 1), NDArrayIndex.all()).dup();
        }
        return a.get(Nd4j.createFromArray(idx));
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static synchronized void quietly(Runnable run) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            run.run();
        } finally {
            System.setOut(out);
        }
    }

    private INDArray forward(INDArray x, String output) {
        INDArray xs = x.subRowVector(mean).divRowVector(std).castTo(DataType.FLOAT);
        return sd.output(java.util.Map.of("in", xs), output).get(output);
    }

    /** The weights {@code [d, outputs]} over standardised features. */
    public INDArray weights() {
        return sd.getVariable("w").getArr().dup();
    }

    /** The bias {@code [1, outputs]}. */
    public INDArray bias() {
        return sd.getVariable("b").getArr().dup();
    }

    /** The training features' mean {@code [d]}, subtracted before the head. */
    public INDArray featureMean() {
        return mean.dup();
    }

    /** The training features' standard deviation (+1e-6) {@code [d]}, divided by before the head. */
    public INDArray featureStd() {
        return std.dup();
    }

    /** Class ids of the rows of {@code x}. */
    public int[] predictClasses(INDArray x) {
        if (classes == 0) {
            throw new IllegalStateException("a regressor has no classes");
        }
        INDArray p = forward(x, "probs");
        return p.argMax(1).toIntVector();
    }

    /** Real predictions for the rows of {@code x}. */
    public double[] predictValues(INDArray x) {
        if (classes != 0) {
            throw new IllegalStateException("a classifier predicts classes");
        }
        return forward(x, "pred").get(NDArrayIndex.all(), NDArrayIndex.point(0)).toDoubleVector();
    }
}
