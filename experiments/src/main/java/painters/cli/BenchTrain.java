package painters.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.eval.metric.Normalization;
import painters.model.Backend;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.graph.OpTimes;
import painters.model.graph.TrainingGraph;
import painters.model.plan.LayerPlan;
import painters.model.weights.TensorSpec;
import painters.training.AdamW;
import painters.training.UnfreezePolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tuning step throughput of a model (any family) against the machine's sgemm peak measured in the same run. */
@Command(name = "train", description = "A full fine-tuning step (all blocks and the head; an encoder with a task head, a "
        + "decoder with the next-token loss) as tokens/s and as a share of the sgemm peak measured in the same run (3x "
        + "the blocks' forward FLOPs per step).")
final class BenchTrain implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" or any model (default ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    BenchOptions opts;

    @Option(names = "--profile", description = "Also print where a step's time goes: each op type's forward and "
            + "backward time, the optimizer, the garbage collection, and what is left (session overhead, allocation).")
    boolean profile;

    @Option(names = "--whole", description = "Differentiate the whole graph at once, every activation alive (the default "
            + "recomputes each step's activations during the backward pass, one more forward pass of work).")
    boolean whole;

    @Override
    public Integer call() throws Exception {
        return BenchSupport.withPeaks(this::train);
    }

    /**
     * Training throughput: one AdamW step of full fine-tuning (every block and the head; embeddings frozen)
     * at batch x seq, as tokens/s, and as a fraction of the machine's sgemm peak measured here
     * ({@code Nd4j.gemm} 2048^3 into a preallocated array), counting a step as 3x the forward's FLOPs.
     */
    int train() throws Exception {
        LoadedModel m = ModelFamilies.load(model);
        int layers = m.numLayers();
        System.out.printf("model    %s (%s, %d layers, hidden %d)%n", m.id(), m.family(), layers, m.hiddenSize());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   full fine-tuning step (AdamW, all blocks + head, embeddings frozen), batch %d, %d warm-up "
                + "+ %d timed steps, medians; FLOPs/step = 3 x the blocks' forward matmul FLOPs (embeddings and head not counted)%n", opts.batch, opts.warmup, opts.iters);
        System.out.printf("gradients %s%n%n", whole ? "of the whole graph at once" : "by recomputation at each block "
                + "(4 x forward FLOPs done; the ratio counts the 3 x a step needs)");
        System.out.printf("%-8s %-5s %10s %12s %12s %12s %10s%n", "threads", "seq", "step ms", "tokens/s", "GFLOP/s",
                "sgemm peak", "of peak");
        int d = m.hiddenSize();
        long blockWeights = 0;                       // one block's matrix weights (every block the same shape)
        for (TensorSpec t : m.weights().layout().all()) {
            if (t.inBlock() && t.block() == 0 && t.matrix()) {
                blockWeights += t.shape()[0] * t.shape()[1];
            }
        }
        LayerPlan identity = LayerPlan.identity(layers);
        for (int seq : opts.seqs) {
            double tokens = (double) opts.batch * seq;
            double perTokenLayer = 2.0 * blockWeights + 4.0 * seq * d;
            double flops = 3 * tokens * layers * perTokenLayer;
            TrainingGraph g = BenchSupport.trainingGraph(m, identity, UnfreezePolicy.parse("all")
                    .unfreezing(m.weights().layout(), identity, null, false));
            Map<String, INDArray> feed = BenchSupport.trainingFeed(m, g, opts.batch, seq);
            AdamW opt = AdamW.withDefaults(0.01, g.decayed());
            for (int t : opts.threads) {
                Backend.setThreads(t);
                double peak = BenchSupport.sgemmPeak();
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < opts.warmup + opts.iters; i++) {
                    long t0 = System.nanoTime();
                    var lg = whole ? g.wholeLossAndGradients(feed) : g.lossAndGradients(feed);
                    opt.step(g.parameters(), lg.grads(), 1e-5);
                    TrainingGraph.free(lg.grads());
                    System.gc();
                    if (i >= opts.warmup) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
                double med = Normalization.median(ms);
                if (profile) {
                    profile(g, opt, feed, med);
                }
                double gf = flops / (med / 1000) / 1e9;
                System.out.printf("%-8d %-5d %10.0f %12.0f %12.1f %12.1f %9.1f%%%n", t, seq, med, tokens * 1000 / med, gf,
                        peak, 100 * gf / peak);
            }
        }
        System.out.println("\nof peak = achieved GFLOP/s (3 x forward FLOPs per step) / measured sgemm GFLOP/s at the same "
                + "thread count");
        return 0;
    }

    /** One more set of timed steps with every op timed, printed as a breakdown of the median step. */
    private void profile(TrainingGraph g, AdamW opt,
                         Map<String, INDArray> feed, double stepMs) {
        OpTimes times = new OpTimes();
        g.addListener(times);
        long graph = 0;
        long optimizer = 0;
        long gc = 0;
        for (int i = 0; i < opts.iters; i++) {
            long t0 = System.nanoTime();
            var lg = whole ? g.wholeLossAndGradients(feed) : g.lossAndGradients(feed);
            long t1 = System.nanoTime();
            opt.step(g.parameters(), lg.grads(), 1e-5);
            TrainingGraph.free(lg.grads());
            long t2 = System.nanoTime();
            System.gc();
            long t3 = System.nanoTime();
            graph += t1 - t0;
            optimizer += t2 - t1;
            gc += t3 - t2;
        }
        double n = opts.iters;
        double ops = times.total() / n / 1e6;
        double step = (graph + optimizer + gc) / n / 1e6;
        System.out.printf("  profile (%d steps, listener on; step %.0f ms here vs %.0f ms without it):%n", opts.iters,
                step, stepMs);
        System.out.printf("    ops %.0f ms (%.0f%%), session outside the ops %.0f ms (%.0f%%), AdamW %.0f ms (%.0f%%), "
                + "System.gc %.0f ms (%.0f%%)%n", ops, 100 * ops / step, graph / n / 1e6 - ops,
                100 * (graph / n / 1e6 - ops) / step, optimizer / n / 1e6, 100 * optimizer / n / 1e6 / step,
                gc / n / 1e6, 100 * gc / n / 1e6 / step);
        double fwd = times.entries().stream().filter(e -> !e.backward()).mapToLong(e -> e.nanos()).sum() / n / 1e6;
        System.out.printf("    forward ops %.0f ms, backward ops %.0f ms; by op type (ms per step, calls per step):%n", fwd,
                ops - fwd);
        times.entries().stream().limit(15).forEach(e -> System.out.printf("      %-8s %-28s %8.1f ms %6.0f calls%n",
                e.backward() ? "backward" : "forward", e.op(), e.nanos() / n / 1e6, e.calls() / n));
    }
}
