package painters.eval.head;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.bert.BertEncoder;
import painters.model.bert.BertWeights;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.model.plan.Step;
import painters.model.tokenizer.TokenBatch;

/**
 * Hidden states shared by the plans of a grid: every prefix of executed steps that two or more plans
 * start with (a {@link PlanPrefixes} branch point: blocks 0..s-1 for every variant at split s, the
 * first parallel step of parallel and looped parallel, the blocks two random orders share) is
 * computed once per batch, from the state after its own parent branch point, and each plan runs only
 * the steps after its deepest one. The numbers are those of running each plan from scratch (the same
 * operations in the same order; tested).
 *
 * <p>Holds one {@code [batch, seq, hidden]} array per batch and branch point in use (the default
 * study's WordNet texts: ~65 MB per branch point). {@link #release} tells the cache a plan is done;
 * a branch point no pending plan starts from (or below) is dropped. Evaluating plans in
 * {@link PlanPrefixes#TRIE_ORDER} keeps few alive at a time. Thread-safe: plans may run in parallel;
 * a state two threads need at once may be computed twice (same result), never wrongly.
 */
public final class PrefixCache {

    private record Key(long[][] ids, long[][] types) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.deepEquals(ids, k.ids) && Arrays.deepEquals(types, k.types);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.deepHashCode(ids) + Arrays.deepHashCode(types);
        }
    }

    private final BertWeights weights;
    private final PlanPrefixes prefixes;
    private final Map<Key, Map<List<Step>, INDArray>> states = new ConcurrentHashMap<>();
    private final Map<List<Step>, BertEncoder> segments = new ConcurrentHashMap<>();
    private final Map<List<Step>, AtomicInteger> pending = new ConcurrentHashMap<>();

    /**
     * A cache for {@code plans}: the grid, each plan once per {@link #release} that will follow (a plan
     * never released keeps its prefixes' states alive).
     */
    public PrefixCache(BertWeights weights, Collection<LayerPlan> plans) {
        this.weights = weights;
        this.prefixes = new PlanPrefixes(plans);
        for (LayerPlan p : plans) {
            for (List<Step> bp : startChain(p)) {
                pending.computeIfAbsent(bp, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    /** The branch points of the grid. */
    public PlanPrefixes prefixes() {
        return prefixes;
    }

    /**
     * The encoder of {@code plan} that starts after its deepest shared prefix (its flattened form
     * without those steps), or null when it shares none and runs from the embeddings.
     */
    public BertEncoder encoderOf(LayerPlan plan) {
        LayerPlan flat = plan.flattened();
        int p = prefixes.start(flat.steps());
        return p == 0 ? null : BertEncoder.from(weights, flat, p);
    }

    /** The state after the executed steps {@code prefix} (a branch point) for this batch. */
    public INDArray state(TokenBatch batch, List<Step> prefix) {
        Key k = new Key(batch.ids(), batch.typeIds());
        return state(k, batch, List.copyOf(prefix));
    }

    private INDArray state(Key k, TokenBatch batch, List<Step> prefix) {
        Map<List<Step>, INDArray> m = states.computeIfAbsent(k, x -> new ConcurrentHashMap<>());
        INDArray s = m.get(prefix);
        if (s != null) {
            return s;
        }
        List<Step> parent = prefixes.parent(prefix);
        BertEncoder seg = segments.computeIfAbsent(prefix, x -> {
            LayerPlan plan = new LayerPlan(weights.config().numLayers(), x);
            return parent.isEmpty() ? BertEncoder.of(weights, plan) : BertEncoder.from(weights, plan, parent.size());
        });
        s = parent.isEmpty() ? seg.forward(batch) : seg.forwardFrom(batch, state(k, batch, parent));
        INDArray prev = m.putIfAbsent(prefix, s);
        return prev != null ? prev : s;
    }

    /**
     * {@code plan} will ask for no more states: branch points that no plan still pending starts from
     * (or from below) are dropped for every batch.
     */
    public void release(LayerPlan plan) {
        for (List<Step> bp : startChain(plan)) {
            AtomicInteger n = pending.get(bp);
            if (n != null && n.decrementAndGet() <= 0) {
                pending.remove(bp);
                segments.remove(bp);
                for (Map<List<Step>, INDArray> m : states.values()) {
                    m.remove(bp);
                }
            }
        }
    }

    /** The branch points {@code plan} depends on: its deepest one and those it is computed from. */
    private List<List<Step>> startChain(LayerPlan plan) {
        List<Step> flat = plan.flattened().steps();
        return prefixes.chain(flat.subList(0, prefixes.start(flat)));
    }

    /** Batches seen. */
    public int size() {
        return states.size();
    }

    /** States held, over all batches and branch points. */
    public int statesHeld() {
        return states.values().stream().mapToInt(Map::size).sum();
    }
}
