package painters.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.eval.metric.Normalization;
import painters.model.Backend;
import painters.model.UserInputException;
import painters.model.family.CausalLm;
import painters.model.family.LmGraph;
import painters.model.family.LoadedModel;
import painters.model.family.ModelFamilies;
import painters.model.plan.LayerPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Decoder throughput: the full forward, and KV-cache generation against recomputing the prefix. */
@Command(name = "decoder", description = "A decoder's forward tokens/s and greedy generation with the KV cache vs "
        + "recomputing the whole prefix at every step (the reference the cache must beat).")
final class BenchDecoder implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A decoder HF directory (any decoder family) or llama2.c .bin file.")
    String model;

    @Mixin
    BenchOptions opts;

    @Option(names = "--gen", defaultValue = "64", description = "Tokens generated per timed generation run "
            + "(default ${DEFAULT-VALUE}).")
    int gen;

    @Override
    public Integer call() throws Exception {
        return BenchSupport.withPeaks(this::decoder);
    }

    /**
     * Decoder throughput: the full forward (tokens/s over batch x seq) and greedy generation with the KV
     * cache against the same generation recomputing the whole prefix at every step (the reference the
     * cache must beat), per thread count.
     */
    int decoder() {
        LoadedModel loaded = ModelFamilies.load(model);
        if (!(loaded instanceof CausalLm m)) {
            throw new UserInputException(model + ": bench decoder needs a causal language model, this is a "
                    + loaded.family() + " model reading out " + loaded.readout());
        }
        LmGraph dec = m.graph(LayerPlan.identity(m.numLayers()));
        System.out.printf("model    %s (%s, %d layers, hidden %d, %,d parameters)%n", m.id(), m.family(), m.numLayers(),
                m.hiddenSize(), m.weights().parameterCount());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   batch %d, %d warm-up + %d timed runs, medians; generation: %d new tokens after a "
                + "16-token prompt, batch %d%n%n", opts.batch, opts.warmup, opts.iters, gen, opts.batch);
        int[] text = m.tokenizer().encode(BenchSupport.TEXT.repeat(64));
        System.out.printf("%-8s %-6s %12s %14s %16s %16s %8s%n", "threads", "seq", "forward ms", "forward tok/s",
                "cached tok/s", "recompute tok/s", "cache x");
        for (int seq : opts.seqs) {
            List<int[]> rows = new ArrayList<>();
            List<int[]> prompts = new ArrayList<>();
            for (int r = 0; r < opts.batch; r++) {
                rows.add(Arrays.copyOfRange(text, r, r + Math.min(seq, m.contextLength())));
                prompts.add(Arrays.copyOfRange(text, r, r + 16));
            }
            for (int t : opts.threads) {
                Backend.setThreads(t);
                for (int i = 0; i < opts.warmup; i++) {
                    dec.logits(rows);
                }
                List<Double> f = new ArrayList<>();
                for (int i = 0; i < opts.iters; i++) {
                    long t0 = System.nanoTime();
                    dec.logits(rows);
                    f.add((System.nanoTime() - t0) / 1e6);
                }
                double mf = Normalization.median(f);
                double cached = generation(dec, prompts, true);
                double recompute = generation(dec, prompts, false);
                System.out.printf("%-8d %-6d %12.1f %14.0f %16.1f %16.1f %7.2fx%n", t, seq, mf,
                        opts.batch * rows.get(0).length * 1000 / mf, cached, recompute, cached / recompute);
            }
        }
        System.out.println("\ncache x = generation throughput with the KV cache / recomputing the prefix every step");
        return 0;
    }

    /** Generated tokens per second, with the cache or by full recomputation (median of the timed runs). */
    private double generation(LmGraph dec, List<int[]> prompts, boolean cached) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < Math.max(1, opts.iters / 3) + 1; i++) {
            long t0 = System.nanoTime();
            if (cached) {
                dec.generate(prompts, gen, -1, (r, x) -> false);
            } else {
                List<int[]> cur = new ArrayList<>(prompts);
                for (int k = 0; k < gen; k++) {
                    INDArray l = dec.logits(cur);
                    List<int[]> next = new ArrayList<>();
                    for (int r = 0; r < cur.size(); r++) {
                        int[] c = cur.get(r);
                        int tok = l.get(NDArrayIndex.point(r),
                                NDArrayIndex.point(c.length - 1),
                                NDArrayIndex.all()).argMax().getInt(0);
                        int[] n = Arrays.copyOf(c, c.length + 1);
                        n[c.length] = tok;
                        next.add(n);
                    }
                    cur = next;
                }
            }
            if (i > 0) {
                rates.add(prompts.size() * gen / ((System.nanoTime() - t0) / 1e9));
            }
        }
        return Normalization.median(rates);
    }
}
