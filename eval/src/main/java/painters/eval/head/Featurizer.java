package painters.eval.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.eval.task.Example;
import painters.model.UserInputException;
import painters.model.family.EncoderGraph;
import painters.model.family.Pooling;
import painters.model.family.SentenceEncoder;
import painters.model.graph.FrozenGraphs;
import painters.model.plan.LayerPlan;
import painters.model.plan.Step;
import painters.model.tokenizer.HfTokenizer;
import painters.model.tokenizer.TokenBatch;

/**
 * Pooled sentence features from an encoder under its layer plan. Texts are sorted by length into
 * batches (little padding) and the rows put back in input order. Pairs are encoded together
 * ([CLS] a [SEP] b [SEP], type ids 0/1) as BERT classifiers read them.
 */
public final class Featurizer implements Features {

    private final EncoderGraph encoder;
    private final HfTokenizer tokenizer;
    private final Pooling pooling;
    private final int batchSize;

    public Featurizer(EncoderGraph encoder, HfTokenizer tokenizer, Pooling pooling, int batchSize) {
        this(encoder, tokenizer, pooling, batchSize, null);
    }

    private final PrefixCache cache;

    /**
     * With a {@link PrefixCache} and an encoder of the flattened plan that skips the cache's
     * {@link PrefixCache#start} steps (its shared prefix), each batch starts from the cached state
     * after that prefix.
     */
    public Featurizer(EncoderGraph encoder, HfTokenizer tokenizer, Pooling pooling, int batchSize, PrefixCache cache) {
        if ((cache != null) != (encoder.skipped() > 0)) {
            throw new IllegalArgumentException("a prefix cache goes with an encoder that skips its prefix, and only then");
        }
        this.cache = cache;
        if (batchSize < 1) {
            throw new UserInputException("batchSize must be >= 1");
        }
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.batchSize = batchSize;
    }

    /**
     * The featurizer of {@code plan}: with a cache, the plan's deepest prefix shared with the rest of
     * the grid (at least one step is left to run) is read from it; without, or with none, the whole
     * plan runs. The encoder computes what the model's pooling reads ({@link SentenceEncoder#pooledGraph}: for
     * CLS pooling, the last step's first position only).
     */
    public static Featurizer of(SentenceEncoder model, LayerPlan plan, HfTokenizer tokenizer,
                                int batchSize, PrefixCache cache) {
        int skip = cache == null ? 0 : cache.start(plan);
        return new Featurizer(model.pooledGraph(skip == 0 ? plan : plan.flattened(), skip), tokenizer, model.pooling(),
                batchSize, skip == 0 ? null : cache);
    }

    public EncoderGraph encoder() {
        return encoder;
    }

    /**
     * {@code [n, hidden]} pooled features of the examples' texts (one text, or a pair encoded together).
     * The features of the last few example lists are kept (by identity), so scoring one plan with
     * several head seeds featurizes each split once; the array returned must not be modified.
     */
    @Override
    public INDArray pooled(List<Example> examples) {
        return memoized(memo, examples, () -> pooledTexts(examples.stream().map(Example::texts).toList()));
    }

    /** As {@link Features#pooledSeparately}, kept as {@link #pooled} keeps its features. */
    @Override
    public INDArray pooledSeparately(List<Example> examples) {
        return memoized(memoSeparate, examples, () -> Features.super.pooledSeparately(examples));
    }

    private static INDArray memoized(Map<List<Example>, INDArray> memo, List<Example> examples,
                                     Supplier<INDArray> compute) {
        synchronized (memo) {
            INDArray known = memo.get(examples);
            if (known != null) {
                return known;
            }
        }
        INDArray out = compute.get();
        synchronized (memo) {
            if (memo.size() >= MEMO) {
                memo.clear();
            }
            memo.put(examples, out);
        }
        return out;
    }

    /**
     * Frees the features this featurizer keeps (its plan is done): arrays {@link #pooled} returned are invalid
     * after this.
     */
    public void close() {
        for (Map<List<Example>, INDArray> m : List.of(memo, memoSeparate)) {
            synchronized (m) {
                m.values().forEach(FrozenGraphs::free);
                m.clear();
            }
        }
    }

    /** Example lists whose features are kept. */
    static final int MEMO = 4;

    private final Map<List<Example>, INDArray> memo = new IdentityHashMap<>();
    private final Map<List<Example>, INDArray> memoSeparate = new IdentityHashMap<>();

    /** {@code [n, hidden]} pooled features of the {@code field}-th text of every example, encoded alone. */
    @Override
    public INDArray pooledField(List<Example> examples, int field) {
        return pooledTexts(examples.stream().map(e -> List.of(e.texts().get(field))).toList());
    }

    /** Featurizing that takes longer than this logs its progress every this often. */
    static final long PROGRESS_NANOS = 30_000_000_000L;

    private static final Logger log = LoggerFactory.getLogger(Featurizer.class);

    private INDArray pooledTexts(List<List<String>> texts) {
        int n = texts.size();
        Integer[] order = new Integer[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lengths[i] = texts.get(i).stream().mapToInt(String::length).sum();
        }
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        INDArray out = null;
        long t0 = System.nanoTime();
        long lastLog = t0;
        for (int start = 0; start < n; start += batchSize) {
            long now = System.nanoTime();
            if (now - lastLog > PROGRESS_NANOS) {              // a long evaluation (a big plan, many texts) shows progress
                double secs = (now - t0) / 1e9;
                log.info("featurizing {} texts under {}: {}/{} done, {} s, about {} s left", n,
                        encoder.plan().print().length() > 60 ? encoder.plan().print().substring(0, 57) + "..."
                                : encoder.plan().print(), start, n, String.format("%.0f", secs),
                        String.format("%.0f", secs / start * (n - start)));
                lastLog = now;
            }
            int end = Math.min(n, start + batchSize);
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (int k = start; k < end; k++) {
                List<String> t = texts.get(order[k]);
                a.add(t.get(0));
                if (t.size() > 1) {
                    b.add(t.get(1));
                }
            }
            TokenBatch batch = b.isEmpty() ? tokenizer.encode(a) : tokenizer.encodePairs(a, b);
            INDArray hidden;
            INDArray state = null;
            List<Step> prefix = null;
            if (cache == null) {
                hidden = encoder.forward(batch);
            } else {
                prefix = encoder.plan().steps().subList(0, encoder.skipped());
                state = cache.state(batch, prefix);
                hidden = encoder.forwardFrom(batch, state);
            }
            INDArray mask = batch.maskArray();
            INDArray pooled = pooling.pool(hidden, mask);                                  // [batch, H]
            if (out == null) {
                out = Nd4j.create(pooled.dataType(), n, pooled.size(1));
            }
            for (int k = start; k < end; k++) {
                out.putRow(order[k], pooled.getRow(k - start));
            }
            // free this batch's arrays now (off-heap memory otherwise waits for a garbage collection)
            if (pooled != hidden) {
                FrozenGraphs.free(pooled);
            }
            FrozenGraphs.free(mask);
            if (cache != null) {
                cache.done(batch, prefix, state, hidden);
            }
            if (hidden != state) {
                FrozenGraphs.free(hidden);
            }
        }
        return out;
    }
}
