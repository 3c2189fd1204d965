package painters.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import painters.eval.metric.Normalization;
import painters.model.Backend;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.tokenizer.TokenBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tuning step throughput of an encoder against the machine's sgemm peak measured in the same run. */
@Command(name = "train", description = "A full fine-tuning step of an encoder (all blocks and the head) as tokens/s and "
        + "as a share of the sgemm peak measured in the same run (3x forward FLOPs per step).")
final class BenchTrain implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" or an encoder (default ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    BenchOptions opts;

    @Override
    public Integer call() throws Exception {
        return train();
    }

    /**
     * Training throughput: one AdamW step of full fine-tuning (every block and the head; embeddings frozen)
     * at batch x seq, as tokens/s, and as a fraction of the machine's sgemm peak measured here
     * ({@code Nd4j.gemm} 2048^3 into a preallocated array), counting a step as 3x the forward's FLOPs.
     */
    int train() throws Exception {
        BertModel m = BertLoader.load(model);
        painters.model.bert.BertConfig c = m.config();
        System.out.printf("model    %s (%d layers, hidden %d)%n", m.id(), c.numLayers(), c.hiddenSize());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   full fine-tuning step (AdamW, all blocks + head, embeddings frozen), batch %d, %d warm-up "
                + "+ %d timed steps, medians; FLOPs/step = 3 x forward matmul FLOPs%n%n", opts.batch, opts.warmup, opts.iters);
        System.out.printf("%-8s %-5s %10s %12s %12s %12s %10s%n", "threads", "seq", "step ms", "tokens/s", "GFLOP/s",
                "sgemm peak", "of peak");
        int d = c.hiddenSize();
        for (int seq : opts.seqs) {
            TokenBatch b = BenchCommand.fullBatch(m, opts.batch, seq);
            double tokens = (double) opts.batch * seq;
            double perTokenLayer = 2.0 * (4.0 * d * d + 2.0 * d * c.intermediateSize()) + 4.0 * seq * d;
            double flops = 3 * tokens * c.numLayers() * perTokenLayer;
            painters.model.bert.BertTrainingGraph g = painters.model.bert.BertTrainingGraph.build(m.weights(),
                    painters.model.plan.LayerPlan.identity(c.numLayers()), m.pooling(),
                    painters.training.UnfreezePolicy.parse("all").trainable(m.weights().layout(), c.numLayers(), null),
                    false, true, org.nd4j.linalg.factory.Nd4j.zeros(d), org.nd4j.linalg.factory.Nd4j.ones(d),
                    org.nd4j.linalg.factory.Nd4j.zeros(d, 2), org.nd4j.linalg.factory.Nd4j.zeros(1, 2), java.util.Set.of(),
                    0, 1);
            painters.training.AdamW opt = painters.training.AdamW.withDefaults(0.01, g.decayed());
            org.nd4j.linalg.api.ndarray.INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(opts.batch, 2);
            labels.getColumn(0).assign(1);
            java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> feed = g.feed(b, labels);
            for (int t : opts.threads) {
                Backend.setThreads(t);
                double peak = BenchCommand.sgemmPeak();
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < opts.warmup + opts.iters; i++) {
                    long t0 = System.nanoTime();
                    var lg = g.lossAndGradients(feed);
                    opt.step(g.parameters(), lg.grads(), 1e-5);
                    System.gc();
                    if (i >= opts.warmup) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
                double med = Normalization.median(ms);
                double gf = flops / (med / 1000) / 1e9;
                System.out.printf("%-8d %-5d %10.0f %12.0f %12.1f %12.1f %9.1f%%%n", t, seq, med, tokens * 1000 / med, gf,
                        peak, 100 * gf / peak);
            }
        }
        System.out.println("\nof peak = achieved GFLOP/s (3 x forward FLOPs per step) / measured sgemm GFLOP/s at the same "
                + "thread count");
        return 0;
    }
}
