package painters.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import painters.eval.metric.Normalization;
import painters.model.bert.BertModel;
import painters.model.tokenizer.TokenBatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Benchmarks that print ratios against a named reference measured in the same run (never timed tests):
 * {@code forward} (encoder vs ONNX Runtime), {@code train} (a fine-tuning step vs the sgemm peak),
 * {@code grid} (a study's plans from scratch vs prefix-shared), {@code decoder} (forward and KV-cache
 * generation vs recomputation).
 */
@Command(name = "bench", description = "Benchmarks with ratios against a reference measured in the same run.",
        subcommands = {BenchForward.class, BenchTrain.class, BenchGrid.class, BenchDecoder.class, BenchMemory.class,
                BenchEngines.class})
final class BenchCommand implements Runnable {

    static final String TEXT = "Transformer layers as painters: the middle layers of a pretrained model share a "
            + "representation space, so skipping, repeating, reversing or running them in parallel degrades the model "
            + "gracefully, while the first and last layers behave differently. ";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** sgemm GFLOP/s: Nd4j.gemm of 2048^3 into a preallocated result, median of 5 after 2 warm-ups. */
    static double sgemmPeak() {
        int n = 2048;
        org.nd4j.linalg.api.ndarray.INDArray a = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        org.nd4j.linalg.api.ndarray.INDArray bm = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        org.nd4j.linalg.api.ndarray.INDArray out = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                new long[] {n, n}, 'f');
        List<Double> g = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            org.nd4j.linalg.factory.Nd4j.gemm(a, bm, out, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            if (i >= 2) {
                g.add(2.0 * n * n * n / s / 1e9);
            }
        }
        return Normalization.median(g);
    }

    /** {@code batch} rows of exactly {@code seq} real tokens (no padding). */
    static TokenBatch fullBatch(BertModel m, int batch, int seq) {
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
    static int withPeaks(java.util.concurrent.Callable<Integer> bench) throws Exception {
        try (painters.model.MemoryPeaks mem = painters.model.MemoryPeaks.start()) {
            int rc = bench.call();
            System.out.println("memory   " + mem.peaks() + " (this process, the whole benchmark)");
            return rc;
        }
    }
}
