package painters.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import onnx.Onnx;
import painters.eval.metric.Normalization;
import painters.model.Backend;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertLoader;
import painters.model.bert.BertModel;
import painters.model.tokenizer.TokenBatch;
import painters.model.weights.OnnxWeights;
import painters.reference.OnnxRuntimeEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Encoder forward throughput: SameDiff vs ONNX Runtime on the same ONNX model, same batch, same
 * thread count, interleaved in one process after warm-up; prints medians and the ratio.
 */
@Command(name = "bench", description = "Forward throughput of the SameDiff encoder vs ONNX Runtime on the same "
        + "ONNX model (interleaved, after warm-up; medians and ratio).")
final class BenchCommand implements Callable<Integer> {

    static final String TEXT = "Transformer layers as painters: the middle layers of a pretrained model share a "
            + "representation space, so skipping, repeating, reversing or running them in parallel degrades the model "
            + "gracefully, while the first and last layers behave differently. ";

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL",
            description = "\"default\" or an .onnx export with tokenizer.json beside it (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", split = ",", defaultValue = "128,16", description = "Sequence lengths (default ${DEFAULT-VALUE}).")
    int[] seqs;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default ${DEFAULT-VALUE}).")
    int[] threads;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs per engine (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", description = "Timed runs per engine (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--gen", defaultValue = "64", description = "Decoders: tokens generated per timed generation run "
            + "(default ${DEFAULT-VALUE}).")
    int gen;

    @Option(names = "--train", description = "Encoders: measure a full fine-tuning step (all blocks and the head train) "
            + "instead of the forward, against 3x forward FLOPs at the measured sgemm peak.")
    boolean train;

    @Option(names = "--grid", paramLabel = "STUDY", description = "Encoders: featurize every distinct plan of a study's "
            + "grid over its tasks' texts, from scratch and with the prefix cache; print both times, the ratio and the "
            + "largest difference.")
    java.nio.file.Path grid;

    @Option(names = "--texts", paramLabel = "N", description = "With --grid: featurize only the first N texts of the "
            + "tasks (a quicker sample of the same grid; default all).")
    Integer maxTexts;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "With --grid: study key overrides (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (grid != null) {
            return grid();
        }
        if (painters.model.llama.LlamaLoader.isDecoder(model)) {
            return decoder();
        }
        if (train) {
            return train();
        }
        BertModel m = BertLoader.load(model);
        Onnx.ModelProto proto = model.equals("default") || model.equals("bge-small-en-v1.5")
                ? BertLoader.defaultOnnx() : OnnxWeights.parse(Path.of(model));
        BertEncoder sd = m.encoder();
        System.out.printf("model    %s (%d layers, hidden %d)%n", m.id(), m.config().numLayers(), m.config().hiddenSize());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   batch %d, %d warm-up + %d timed runs per engine, interleaved; medians%n%n", batch,
                warmup, iters);
        System.out.printf("%-8s %-5s %14s %14s %12s %12s %9s%n", "threads", "seq", "SameDiff ms", "ORT ms",
                "SameDiff s/s", "ORT s/s", "ratio");
        for (int seq : seqs) {
            TokenBatch b = fullBatch(m, seq);
            for (int t : threads) {
                Backend.setThreads(t);
                try (OnnxRuntimeEncoder ort = new OnnxRuntimeEncoder(proto, m.config().numLayers(), false, t, model)) {
                    for (int i = 0; i < warmup; i++) {
                        sd.forward(b);
                        ort.forward(b);
                    }
                    List<Double> a = new ArrayList<>();
                    List<Double> o = new ArrayList<>();
                    for (int i = 0; i < iters; i++) {
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
                            batch * 1000 / ma, batch * 1000 / mo, mo / ma);
                }
            }
        }
        System.out.println("\nratio = SameDiff throughput / ONNX Runtime throughput (1.00x = parity, higher is better)");
        return 0;
    }

    /**
     * Decoder throughput: the full forward (tokens/s over batch x seq) and greedy generation with the KV
     * cache against the same generation recomputing the whole prefix at every step (the reference the
     * cache must beat), per thread count.
     */
    private int decoder() {
        painters.model.llama.LlamaModel m = painters.model.llama.LlamaLoader.load(model);
        painters.model.llama.LlamaDecoder dec = m.decoder();
        System.out.printf("model    %s (%d layers, hidden %d, %,d parameters)%n", m.id(), m.config().numLayers(),
                m.config().hiddenSize(), m.weights().parameterCount());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   batch %d, %d warm-up + %d timed runs, medians; generation: %d new tokens after a "
                + "16-token prompt, batch %d%n%n", batch, warmup, iters, gen, batch);
        int[] text = m.tokenizer().encode(TEXT.repeat(64));
        System.out.printf("%-8s %-6s %12s %14s %16s %16s %8s%n", "threads", "seq", "forward ms", "forward tok/s",
                "cached tok/s", "recompute tok/s", "cache x");
        for (int seq : seqs) {
            List<int[]> rows = new ArrayList<>();
            List<int[]> prompts = new ArrayList<>();
            for (int r = 0; r < batch; r++) {
                rows.add(Arrays.copyOfRange(text, r, r + Math.min(seq, m.config().maxPositions())));
                prompts.add(Arrays.copyOfRange(text, r, r + 16));
            }
            painters.model.llama.DecoderBatch b = painters.model.llama.DecoderBatch.rightPadded(rows, 0);
            for (int t : threads) {
                Backend.setThreads(t);
                for (int i = 0; i < warmup; i++) {
                    dec.logits(b);
                }
                List<Double> f = new ArrayList<>();
                for (int i = 0; i < iters; i++) {
                    long t0 = System.nanoTime();
                    dec.logits(b);
                    f.add((System.nanoTime() - t0) / 1e6);
                }
                double mf = Normalization.median(f);
                double cached = generation(dec, prompts, true);
                double recompute = generation(dec, prompts, false);
                System.out.printf("%-8d %-6d %12.1f %14.0f %16.1f %16.1f %7.2fx%n", t, seq, mf,
                        batch * rows.get(0).length * 1000 / mf, cached, recompute, cached / recompute);
            }
        }
        System.out.println("\ncache x = generation throughput with the KV cache / recomputing the prefix every step");
        return 0;
    }

    /** Generated tokens per second, with the cache or by full recomputation (median of the timed runs). */
    private double generation(painters.model.llama.LlamaDecoder dec, List<int[]> prompts, boolean cached) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < Math.max(1, iters / 3) + 1; i++) {
            long t0 = System.nanoTime();
            if (cached) {
                painters.model.llama.GreedyGenerator.generate(dec, prompts, gen, -1, (r, x) -> false);
            } else {
                List<int[]> cur = new ArrayList<>(prompts);
                for (int k = 0; k < gen; k++) {
                    org.nd4j.linalg.api.ndarray.INDArray l = dec.logits(painters.model.llama.DecoderBatch.rightPadded(cur, 0));
                    List<int[]> next = new ArrayList<>();
                    for (int r = 0; r < cur.size(); r++) {
                        int[] c = cur.get(r);
                        int tok = l.get(org.nd4j.linalg.indexing.NDArrayIndex.point(r),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(c.length - 1),
                                org.nd4j.linalg.indexing.NDArrayIndex.all()).argMax().getInt(0);
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

    /**
     * Training throughput: one AdamW step of full fine-tuning (every block and the head; embeddings frozen)
     * at batch x seq, as tokens/s, and as a fraction of the machine's sgemm peak measured here
     * ({@code Nd4j.gemm} 2048^3 into a preallocated array), counting a step as 3x the forward's FLOPs.
     */
    private int train() throws Exception {
        BertModel m = BertLoader.load(model);
        painters.model.bert.BertConfig c = m.config();
        System.out.printf("model    %s (%d layers, hidden %d)%n", m.id(), c.numLayers(), c.hiddenSize());
        System.out.printf("backend  %s%n", Backend.current());
        System.out.printf("method   full fine-tuning step (AdamW, all blocks + head, embeddings frozen), batch %d, %d warm-up "
                + "+ %d timed steps, medians; FLOPs/step = 3 x forward matmul FLOPs%n%n", batch, warmup, iters);
        System.out.printf("%-8s %-5s %10s %12s %12s %12s %10s%n", "threads", "seq", "step ms", "tokens/s", "GFLOP/s",
                "sgemm peak", "of peak");
        int d = c.hiddenSize();
        for (int seq : seqs) {
            TokenBatch b = fullBatch(m, seq);
            double tokens = (double) batch * seq;
            double perTokenLayer = 2.0 * (4.0 * d * d + 2.0 * d * c.intermediateSize()) + 4.0 * seq * d;
            double flops = 3 * tokens * c.numLayers() * perTokenLayer;
            painters.training.EncoderTrainingGraph g = painters.training.EncoderTrainingGraph.build(m.weights(),
                    painters.model.plan.LayerPlan.identity(c.numLayers()), m.pooling(),
                    painters.training.UnfreezePolicy.parse("all").trainable(m.weights().tensors().keySet(),
                            painters.model.hf.BertTensorNames::blockOf, n -> n.startsWith("embeddings."), c.numLayers(), null),
                    false, true, org.nd4j.linalg.factory.Nd4j.zeros(d), org.nd4j.linalg.factory.Nd4j.ones(d),
                    org.nd4j.linalg.factory.Nd4j.zeros(d, 2), org.nd4j.linalg.factory.Nd4j.zeros(1, 2));
            painters.training.AdamW opt = painters.training.AdamW.withDefaults(0.01, g.decayed());
            org.nd4j.linalg.api.ndarray.INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(batch, 2);
            labels.getColumn(0).assign(1);
            java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> feed = g.feed(b, labels);
            for (int t : threads) {
                Backend.setThreads(t);
                double peak = sgemmPeak();
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < warmup + iters; i++) {
                    long t0 = System.nanoTime();
                    var lg = g.lossAndGradients(feed);
                    opt.step(g.parameters(), lg.grads(), 1e-5);
                    System.gc();
                    if (i >= warmup) {
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

    /**
     * The study-grid benchmark: every distinct computation of the study's plans featurizes every text
     * its tasks score (train and eval splits), once from scratch and once with the prefix cache
     * (shared states computed inside its time), in the order a study runs them; the features must
     * agree. Plans of the grid that compute the same function (equal computation keys) cost their
     * computation's from-scratch time each in the "every plan from scratch" total.
     */
    private int grid() throws Exception {
        painters.study.StudySpec spec = painters.study.StudySpecs.load(grid, sets);
        BertModel m = BertLoader.load(spec.model());
        int t = m.config().numLayers();
        java.util.Map<String, painters.model.plan.LayerPlan> plans = new java.util.LinkedHashMap<>();
        java.util.Map<String, java.util.Set<String>> gridPlans = new java.util.HashMap<>();
        for (painters.study.Cell c : painters.study.StudyCells.of(spec, t)) {
            plans.putIfAbsent(c.plan().computationKey(), c.plan());
            gridPlans.computeIfAbsent(c.plan().computationKey(), k -> new java.util.HashSet<>()).add(c.plan().print());
        }
        List<painters.model.plan.LayerPlan> order = plans.values().stream()
                .sorted(painters.model.plan.PlanPrefixes.TRIE_ORDER).toList();
        List<painters.eval.task.Example> texts = new ArrayList<>();
        java.nio.file.Path data = spec.data() == null ? null : java.nio.file.Path.of(spec.data());
        for (String task : spec.tasks()) {
            painters.eval.task.TaskData d = painters.eval.task.TaskData.load(painters.eval.task.TaskSpecs.load(task, data));
            if (d.train() != null) {
                texts.addAll(d.train());
            }
            texts.addAll(d.eval());
        }
        if (maxTexts != null && maxTexts < texts.size()) {
            texts = new ArrayList<>(texts.subList(0, maxTexts));
        }
        int everyPlan = gridPlans.values().stream().mapToInt(java.util.Set::size).sum();
        painters.eval.head.PrefixCache cache = new painters.eval.head.PrefixCache(m.weights(), order);
        int blocksScratch = 0;
        int blocksEvery = 0;
        for (painters.model.plan.LayerPlan p : order) {
            blocksScratch += p.applications();
            blocksEvery += p.applications() * gridPlans.get(p.computationKey()).size();
        }
        int blocksShared = cache.prefixes().applications(order);
        System.out.printf("study    %s: %d plans in the grid, %d distinct computations, x %d texts (tasks %s), batch %d, "
                + "max length %d%n", spec.name(), everyPlan, plans.size(), texts.size(), spec.tasks(), spec.batchSize(),
                spec.maxLength());
        System.out.printf("sharing  %d branch points; block applications per text: every plan %d, distinct %d, "
                + "prefix-shared %d%n", cache.prefixes().branchPoints().size(), blocksEvery, blocksScratch, blocksShared);
        System.out.printf("pooling  %s%s%n", m.pooling(), m.pooling() == painters.model.bert.Pooling.CLS
                ? ": each plan's last step computes the first position only, from scratch and shared alike" : "");
        System.out.printf("backend  %s%n%n", Backend.current());
        double scratch = 0;
        double every = 0;
        double cached = 0;
        double maxDiff = 0;
        try (painters.model.tokenizer.HfTokenizer tok = m.tokenizer().withMaxLength(spec.maxLength())) {
            for (painters.model.plan.LayerPlan p : order) {
                long t0 = System.nanoTime();
                org.nd4j.linalg.api.ndarray.INDArray a = painters.eval.head.Featurizer.of(m.weights(), p, tok, m.pooling(),
                        spec.batchSize(), null).pooled(texts);
                long t1 = System.nanoTime();
                org.nd4j.linalg.api.ndarray.INDArray b = painters.eval.head.Featurizer.of(m.weights(), p, tok, m.pooling(),
                        spec.batchSize(), cache).pooled(texts);
                cache.release(p);
                long t2 = System.nanoTime();
                int copies = gridPlans.get(p.computationKey()).size();
                scratch += (t1 - t0) / 1e9;
                every += copies * (t1 - t0) / 1e9;
                cached += (t2 - t1) / 1e9;
                maxDiff = Math.max(maxDiff, a.sub(b).amaxNumber().doubleValue());
                System.out.printf("%-40s x%-2d scratch %6.1f s  shared %6.1f s  (states held %d)%n", p.print(), copies,
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, cache.statesHeld());
            }
        }
        System.out.printf("%ngrid: every plan from scratch %.0f s, distinct computations from scratch %.0f s, prefix-shared "
                + "%.0f s%n", every, scratch, cached);
        System.out.printf("ratio: %.2fx vs every plan from scratch, %.2fx vs distinct computations from scratch "
                + "(block applications: %.2fx, %.2fx); largest feature difference %.1e%n",
                every / cached, scratch / cached, (double) blocksEvery / blocksShared,
                (double) blocksScratch / blocksShared, maxDiff);
        return 0;
    }

    /** {@code batch} rows of exactly {@code seq} real tokens (no padding). */
    private TokenBatch fullBatch(BertModel m, int seq) {
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

}
