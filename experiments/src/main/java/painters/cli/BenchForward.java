package painters.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import onnx.Onnx;
import painters.eval.metric.Normalization;
import painters.model.Backend;
import painters.model.UserInputException;
import painters.model.family.EncoderGraph;
import painters.model.family.ModelFamilies;
import painters.model.family.SentenceEncoder;
import painters.model.graph.FrozenGraphs;
import painters.model.graph.OpTimes;
import painters.model.plan.LayerPlan;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.OnnxWeights;
import painters.reference.OnnxRuntimeEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Encoder forward throughput: SameDiff vs ONNX Runtime on the same ONNX model, same batch, same
 * thread count, interleaved in one process after warm-up; prints medians and the ratio.
 */
@Command(name = "forward", description = "Forward throughput of the SameDiff encoder vs ONNX Runtime on the same "
        + "ONNX model (interleaved, after warm-up; medians and ratio).")
final class BenchForward implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" or an .onnx export with tokenizer.json beside it (default ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    BenchOptions opts;

    @Option(names = "--profile", description = "Also print where a SameDiff forward's time goes: each op type's time "
            + "and what is left outside the ops (session bookkeeping, allocation).")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        return BenchSupport.withPeaks(this::forward);
    }

    private int forward() throws Exception {
        if (!(ModelFamilies.load(model) instanceof SentenceEncoder m)) {
            throw new UserInputException(model + ": bench forward compares a sentence encoder with ONNX Runtime on "
                    + "its ONNX export; this model is not a sentence encoder");
        }
        Onnx.ModelProto proto = model.equals("default") || model.equals("bge-small-en-v1.5")
                ? ModelFamilies.onnxExports().defaultExport() : OnnxWeights.parse(Path.of(model));
        EncoderGraph sd = m.graph(LayerPlan.identity(m.numLayers()));
        System.out.printf("model    %s (%d layers, hidden %d)%n", m.id(), m.numLayers(), m.hiddenSize());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   batch %d, %d warm-up + %d timed runs per engine, interleaved; medians%n%n", opts.batch,
                opts.warmup, opts.iters);
        System.out.printf("%-8s %-5s %14s %14s %12s %12s %9s%n", "threads", "seq", "SameDiff ms", "ORT ms",
                "SameDiff s/s", "ORT s/s", "ratio");
        for (int seq : opts.seqs) {
            TokenBatch b = BenchSupport.fullBatch(m, opts.batch, seq);
            for (int t : opts.threads) {
                Backend.setThreads(t);
                try (OnnxRuntimeEncoder ort = new OnnxRuntimeEncoder(proto, m.numLayers(), false, t, model)) {
                    for (int i = 0; i < opts.warmup; i++) {
                        sd.forward(b);
                        ort.forward(b);
                    }
                    List<Double> a = new ArrayList<>();
                    List<Double> o = new ArrayList<>();
                    for (int i = 0; i < opts.iters; i++) {
                        long t0 = System.nanoTime();
                        sd.forward(b);
                        long t1 = System.nanoTime();
                        ort.forward(b);
                        long t2 = System.nanoTime();
                        a.add((t1 - t0) / 1e6);
                        o.add((t2 - t1) / 1e6);
                    }
                    double ma = Normalization.median(a);
                    double mo = Normalization.median(o);
                    System.out.printf("%-8d %-5d %14.1f %14.1f %12.1f %12.1f %8.2fx%n", t, seq, ma, mo,
                            opts.batch * 1000 / ma, opts.batch * 1000 / mo, mo / ma);
                    if (profile) {
                        profile(sd, b, ma);
                    }
                }
            }
        }
        System.out.println("\nratio = SameDiff throughput / ONNX Runtime throughput (1.00x = parity, higher is better)");
        return 0;
    }

    /** One more set of timed forwards with every op timed, printed as a breakdown of the median forward. */
    private void profile(EncoderGraph sd, TokenBatch b, double forwardMs) {
        OpTimes times = new OpTimes();
        sd.graph().addListeners(times);
        try {
            long total = 0;
            for (int i = 0; i < opts.iters; i++) {
                long t0 = System.nanoTime();
                FrozenGraphs.free(sd.forward(b));
                total += System.nanoTime() - t0;
            }
            double n = opts.iters;
            double ops = times.total() / n / 1e6;
            double fwd = total / n / 1e6;
            System.out.printf("  profile (%d forwards, listener on; %.0f ms here vs %.0f ms without it): ops %.0f ms (%.0f%%), "
                    + "outside the ops %.0f ms (%.0f%%); by op type (ms per forward, calls per forward):%n", opts.iters, fwd,
                    forwardMs, ops, 100 * ops / fwd, fwd - ops, 100 * (fwd - ops) / fwd);
            times.entries().stream().limit(12).forEach(e -> System.out.printf("      %-28s %8.1f ms %6.0f calls%n", e.op(),
                    e.nanos() / n / 1e6, e.calls() / n));
        } finally {
            sd.graph().getListeners().remove(times);
        }
    }
}
