package painters.eval.head;

import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import painters.model.UserInputException;
import painters.model.graph.FrozenGraphs;
import painters.model.graph.GradientBuild;

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
                throw new UserInputException("label " + y[i] + " outside 0.." + (classes - 1));
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
        INDArray xs = standardised(x, mean, std);
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
                ? new Adam(new LinearDecay(c.learningRate(), totalSteps))
                : new Adam(c.learningRate());
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(adam)
                .dataSetFeatureMapping("in").dataSetLabelMapping("label");
        if (c.weightDecay() > 0) {
            tc.weightDecay(c.weightDecay(), true);   // decoupled (AdamW-style), scaled by the learning rate
        }
        sd.setTrainingConfig(tc.build());
        GradientBuild.build(sd);
        // one fit over every step (one training session, whose array cache serves every step), not one per step:
        // the same steps in the same order, so the same numbers (SameDiff's fit(DataSet) builds a new session each call)
        Minibatches batches = new Minibatches(xs, targets, c, r);
        try {
            sd.fit(batches, 1);
        } finally {
            batches.freeLast();
            FrozenGraphs.free(xs);        // off-heap memory freed now, not at a garbage collection
            FrozenGraphs.free(targets);
        }
        return new LinearHead(sd, mean, std, classes);
    }

    /**
     * The training steps in order: {@code c.epochsFor(n)} epochs, each a fresh seeded shuffle cut into batches of
     * {@code c.batchSize()} (the last one shorter). Each minibatch is made when the step asks for it.
     */
    private static final class Minibatches implements MultiDataSetIterator {

        private final INDArray xs;
        private final INDArray targets;
        private final HeadConfig c;
        private final Random r;
        private final int[] order;
        private final int epochs;
        private int epoch = -1;
        private int start;
        private org.nd4j.linalg.dataset.api.MultiDataSet last;

        Minibatches(INDArray xs, INDArray targets, HeadConfig c, Random r) {
            this.xs = xs;
            this.targets = targets;
            this.c = c;
            this.r = r;
            this.order = new int[(int) xs.size(0)];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            this.epochs = c.epochsFor(order.length);
            this.start = order.length;      // the first hasNext starts epoch 0
        }

        @Override
        public boolean hasNext() {
            if (start >= order.length && epoch + 1 < epochs) {
                epoch++;
                start = 0;
                shuffle(order, r);
            }
            return start < order.length;
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int e = Math.min(order.length, start + c.batchSize());
            int[] idx = Arrays.copyOfRange(order, start, e);
            start = e;
            freeLast();     // the previous step is done when the next one asks for its minibatch
            last = new org.nd4j.linalg.dataset.MultiDataSet(rows(xs, idx), rows(targets, idx));
            return last;
        }

        /** Frees the arrays of the minibatch handed out last. */
        void freeLast() {
            if (last != null) {
                FrozenGraphs.free(last.getFeatures(0));
                FrozenGraphs.free(last.getLabels(0));
                last = null;
            }
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
            throw new UnsupportedOperationException("minibatches are cut by the head's batch size");
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("features are standardised before training");
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("one pass: the epochs are inside");
        }
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

    /** {@code (x - mean) / std} per feature, as float: what the head reads, in training and prediction. */
    private static INDArray standardised(INDArray x, INDArray mean, INDArray std) {
        return x.subRowVector(mean).divRowVector(std).castTo(DataType.FLOAT);
    }

    private INDArray forward(INDArray x, String output) {
        INDArray xs = standardised(x, mean, std);
        try {
            return sd.output(Map.of("in", xs), output).get(output);
        } finally {
            FrozenGraphs.free(xs);
        }
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
        INDArray arg = p.argMax(1);
        int[] out = arg.toIntVector();
        FrozenGraphs.free(arg);
        FrozenGraphs.free(p);
        return out;
    }

    /** Class probabilities of the rows of {@code x}, {@code [n][classes]}. */
    public double[][] probabilities(INDArray x) {
        if (classes == 0) {
            throw new IllegalStateException("a regressor has no classes");
        }
        INDArray p = forward(x, "probs");
        double[][] out = p.toDoubleMatrix();
        FrozenGraphs.free(p);
        return out;
    }

    /** Real predictions for the rows of {@code x}. */
    public double[] predictValues(INDArray x) {
        if (classes != 0) {
            throw new IllegalStateException("a classifier predicts classes");
        }
        INDArray p = forward(x, "pred");
        double[] out = p.get(NDArrayIndex.all(), NDArrayIndex.point(0)).toDoubleVector();
        FrozenGraphs.free(p);
        return out;
    }
}
