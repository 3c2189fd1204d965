package painters.eval.head;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.MergeAvg;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.family.EncoderGraph;
import painters.model.family.SentenceEncoder;
import painters.model.graph.FrozenGraphs;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanPrefixes;
import painters.model.plan.Step;
import painters.model.tokenizer.TokenBatch;

/**
 * Hidden states shared by the plans of a grid: every prefix of executed steps that two or more plans
 * start with (a {@link PlanPrefixes} branch point: blocks 0..s-1 for every variant at split s, the
 * first parallel step of parallel and looped parallel, the blocks two random orders share) is
 * computed once per batch, from the state after its own parent branch point, and each plan runs only
 * the steps after its deepest one. A parallel step whose blocks other plans also start with (reverse,
 * middle repeat, random orders) is the mean of those shared member states. The numbers are those of running each plan from scratch (the same
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

    private final SentenceEncoder model;
    private final PlanPrefixes prefixes;
    private final Map<Key, Map<List<Step>, INDArray>> states = new ConcurrentHashMap<>();
    private final Map<List<Step>, EncoderGraph> segments = new ConcurrentHashMap<>();
    private final Map<List<Step>, AtomicInteger> pending = new ConcurrentHashMap<>();

    /**
     * A cache for {@code plans}: the grid, each plan once per {@link #release} that will follow (a plan
     * never released keeps its prefixes' states alive).
     */
    public PrefixCache(SentenceEncoder model, Collection<LayerPlan> plans) {
        this.model = model;
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
     * How many leading steps of {@code plan}'s flattened form come from its deepest shared prefix (the
     * state {@link #state} gives); 0 when it shares none and runs from the embeddings.
     */
    public int start(LayerPlan plan) {
        return prefixes.start(plan.flattened().steps());
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
        List<List<Step>> members = prefixes.members(prefix);
        if (members.isEmpty()) {
            s = run(k, batch, prefix, prefixes.parent(prefix));
        } else {
            // the mean of the member blocks' outputs, as BlockStack.parallel computes it in a graph
            INDArray[] outs = new INDArray[members.size()];
            boolean[] transientOut = new boolean[outs.length];
            for (int i = 0; i < outs.length; i++) {
                List<Step> mp = members.get(i);
                outs[i] = prefixes.branchPoints().contains(mp) ? state(k, batch, mp)
                        : run(k, batch, mp, mp.subList(0, mp.size() - 1));
                transientOut[i] = !held(m, mp, outs[i]);
            }
            s = Nd4j.exec(new MergeAvg(outs))[0];
            for (int i = 0; i < outs.length; i++) {
                if (transientOut[i]) {
                    FrozenGraphs.free(outs[i]);   // a member state no plan reads again: freed now, not at the next GC
                }
            }
        }
        if (!pending.containsKey(prefix)) {
            return s;       // no pending plan starts from it (or below): not kept
        }
        INDArray prev = m.putIfAbsent(prefix, s);
        return prev != null ? prev : s;
    }

    /** The state after {@code prefix}, by running its steps after {@code from} (empty or a branch point). */
    private INDArray run(Key k, TokenBatch batch, List<Step> prefix, List<Step> from) {
        EncoderGraph seg = segments.computeIfAbsent(prefix, x -> {
            LayerPlan plan = new LayerPlan(model.numLayers(), x);
            return from.isEmpty() ? model.graph(plan) : model.segment(plan, from.size());
        });
        if (from.isEmpty()) {
            return seg.forward(batch);
        }
        INDArray in = state(k, batch, from);
        INDArray out = seg.forwardFrom(batch, in);
        done(k, from, in, out);
        return out;
    }

    /** Whether {@code s} is the state this cache holds for {@code prefix} (then others may read it later). */
    private static boolean held(Map<List<Step>, INDArray> m, List<Step> prefix, INDArray s) {
        return m.get(prefix) == s;
    }

    /**
     * The caller has finished with {@code state}, the state after {@code prefix} for this batch, and with
     * what it computed from it ({@code result}): a state this cache does not hold (no pending plan starts
     * there) is freed now rather than at the next garbage collection.
     */
    public void done(TokenBatch batch, List<Step> prefix, INDArray state, INDArray result) {
        done(new Key(batch.ids(), batch.typeIds()), List.copyOf(prefix), state, result);
    }

    private void done(Key k, List<Step> prefix, INDArray state, INDArray result) {
        Map<List<Step>, INDArray> m = states.get(k);
        if (state != result && (m == null || !held(m, prefix, state))) {
            FrozenGraphs.free(state);
        }
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
                for (List<Step> mp : prefixes.members(bp)) {
                    if (!pending.containsKey(mp)) {
                        segments.remove(mp);
                    }
                }
                for (Map<List<Step>, INDArray> m : states.values()) {
                    INDArray dropped = m.remove(bp);
                    if (dropped != null) {
                        FrozenGraphs.free(dropped);   // no pending plan reads it: freed now, not at the next GC
                    }
                }
            }
        }
    }

    /**
     * The branch points {@code plan} depends on: its deepest one, those it is computed from, and for
     * a parallel step computed from member states, those states and what they depend on.
     */
    private Set<List<Step>> startChain(LayerPlan plan) {
        List<Step> flat = plan.flattened().steps();
        Set<List<Step>> out = new LinkedHashSet<>();
        for (List<Step> bp : prefixes.chain(flat.subList(0, prefixes.start(flat)))) {
            withMembers(bp, out);
        }
        return out;
    }

    private void withMembers(List<Step> bp, Set<List<Step>> out) {
        if (!out.add(bp)) {
            return;
        }
        for (List<Step> mp : prefixes.members(bp)) {
            if (prefixes.branchPoints().contains(mp)) {
                for (List<Step> c : prefixes.chain(mp)) {
                    withMembers(c, out);
                }
            }
        }
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
