package painters.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.eval.metric.Normalization;
import painters.model.MemoryPeaks;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.EncoderTrainingGraph;
import painters.model.family.LmTrainingGraph;
import painters.model.family.LoadedModel;
import painters.model.family.SentenceEncoder;
import painters.model.family.TaskHead;
import painters.model.family.Unfreezing;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;

/**
 * What the bench subcommands share: a text to tokenize, the sgemm peak, full batches of real tokens, a training graph
 * and feed of any model, and the process's memory peaks after a benchmark.
 */
final class BenchSupport {

    static final String TEXT = "Transformer layers as painters: the middle layers of a pretrained model share a "
            + "representation space, so skipping, repeating, reversing or running them in parallel degrades the model "
            + "gracefully, while the first and last layers behave differently. ";

    private BenchSupport() {}

    /** sgemm GFLOP/s: Nd4j.gemm of 2048^3 into a preallocated result, median of 5 after 2 warm-ups. */
    static double sgemmPeak() {
        int n = 2048;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray bm = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray out = Nd4j.create(DataType.FLOAT,
                new long[] {n, n}, 'f');
        List<Double> g = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            if (i >= 2) {
                g.add(2.0 * n * n * n / s / 1e9);
            }
        }
        return Normalization.median(g);
    }

    /** {@code batch} rows of exactly {@code seq} real tokens (no padding). */
    static TokenBatch fullBatch(SentenceEncoder m, int batch, int seq) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < seq * 8) {
            sb.append(TEXT);
        }
        long[] ids = Arrays.copyOf(m.tokenizer().ids(sb.toString()), seq);
        ids[seq - 1] = ids[m.tokenizer().ids("x").length - 1]; // end with [SEP]
        long[][] i = new long[batch][];
        long[][] ty = new long[batch][seq];
        long[][] mask = new long[batch][seq];
        for (int r = 0; r < batch; r++) {
            i[r] = ids.clone();
            Arrays.fill(mask[r], 1);
        }
        return new TokenBatch(i, ty, mask);
    }

    /** Runs a benchmark and prints the process's peak memory after its throughput figures. */
    static int withPeaks(Callable<Integer> bench) throws Exception {
        try (MemoryPeaks mem = MemoryPeaks.start()) {
            int rc = bench.call();
            System.out.println("memory   " + mem.peaks() + " (this process, the whole benchmark)");
            return rc;
        }
    }

    /**
     * A trainable graph of any model under {@code plan}: on a sentence encoder a two-class head (zero weights over
     * unit-scaled features), on a causal language model the next-token loss.
     */
    static TrainingGraph trainingGraph(LoadedModel m, LayerPlan plan, Unfreezing how) {
        if (m instanceof SentenceEncoder e) {
            int d = e.hiddenSize();
            return e.trainingGraph(plan, how, new TaskHead(true, Nd4j.zeros(d), Nd4j.ones(d), Nd4j.zeros(d, 2),
                    Nd4j.zeros(1, 2)));
        }
        if (m instanceof CausalLm l) {
            return l.trainingGraph(plan, how);
        }
        throw new UserInputException(m.id() + " (" + m.family() + ", " + m.readout() + ") is neither a sentence "
                + "encoder nor a causal language model: nothing here knows how to train it");
    }

    /** A feed of {@code batch} rows of {@code seq} real tokens for {@link #trainingGraph}'s graph (class 0 labels). */
    static Map<String, INDArray> trainingFeed(LoadedModel m, TrainingGraph g, int batch, int seq) {
        if (g instanceof EncoderTrainingGraph eg) {
            INDArray labels = Nd4j.zeros(batch, 2);
            labels.getColumn(0).assign(1);
            return eg.feed(fullBatch((SentenceEncoder) m, batch, seq), labels);
        }
        int[] text = ((CausalLm) m).tokenizer().encode(TEXT.repeat(Math.max(4, seq / 8)));
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            int[] row = new int[seq];
            for (int i = 0; i < seq; i++) {
                row[i] = text[(r + i) % text.length];
            }
            rows.add(row);
        }
        return ((LmTrainingGraph) g).feed(rows);
    }
}
