package painters.model.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff graph with a loss in which only some variables train: the rest become constants, so
 * gradients are neither computed nor applied there. Variables no op reads (a block the plan never
 * runs) never train. Model families build the graph (their objective: a task head, the causal LM
 * loss); this class owns the trainable set, the live parameter arrays and the loss-and-gradient call.
 *
 * <p>Gradients are computed with recomputation (gradient checkpointing, Chen et al. 2016) at the plan's
 * executed steps: a forward pass keeps only the state entering each step; then, from the last step
 * back, each step's graph (the family builds it: embeddings with the first, the objective with the
 * last) recomputes its activations and takes its gradients given the gradient of its output, through
 * the loss {@code sum(out * upstream)}. Activations of one step are alive at a time instead of the
 * whole plan's, for one more forward pass; the step graphs read the live parameter arrays of the whole
 * graph, and every session frees its arrays as soon as their last reader is done ({@link ClosingMemory}). {@link #wholeLossAndGradients} differentiates the
 * whole graph at once (the reference the piecewise gradients are tested against).
 */
public class TrainingGraph {

    public static final String LOSS = "loss";
    /** In a step graph after the first: the state entering its first step, {@code [batch, seq, hidden]}. */
    public static final String SEGMENT_IN = "segment_in";
    /** In a step graph before the last: the gradient of the loss with respect to its output. */
    public static final String SEGMENT_GRAD = "segment_grad";
    static final String SEGMENT_OUT = "segment_out";
    static final String SEGMENT_LOSS = "segment_loss";

    /**
     * Builds into {@code sd} the graph of executed steps {@code from .. to-1} of the flattened plan: starting
     * from the embeddings when {@code from == 0}, else from {@link #segmentInput}; ending with the objective
     * (named {@link #LOSS}) when {@code to} is the last step, else with {@link #segmentOutput}. Pretrained
     * tensors named in {@code live} are read from those arrays (the whole graph's trainable parameters, fp32
     * whatever the model's precision); the others from the pretrained arrays, uncopied.
     */
    @FunctionalInterface
    public interface Segments {
        void build(SameDiff sd, int from, int to, Map<String, INDArray> live);
    }

    protected final SameDiff sd;
    private final Predicate<String> trains;
    private final List<String> trainable;
    private boolean gradientsBuilt;
    private final int steps;
    private final Segments segments;
    private List<Segment> parts;
    /** Segments by {@code (from, to)}, built on first use: the plan's steps, and those LayerDrop needs. */
    private final Map<List<Integer>, Segment> built = new HashMap<>();
    /** Every session's arrays are freed as soon as the session is done with them. */
    private static final SessionMemMgr memory = FrozenGraphs.MEMORY;
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * Freezes every variable of {@code sd} that {@code trains} rejects or no op reads; {@code sd} has its loss set.
     *
     * @param steps    executed steps of the flattened plan
     * @param segments builds the graph of some of those steps, for recomputation (null: whole graph only)
     */
    protected TrainingGraph(SameDiff sd, Predicate<String> trains, int steps, Segments segments) {
        this.sd = sd;
        this.trains = trains;
        this.trainable = freeze(sd, trains);
        this.steps = steps;
        this.segments = segments;
    }

    /** Converts the variables {@code trains} rejects or no op reads to constants; returns the rest. */
    private static List<String> freeze(SameDiff sd, Predicate<String> trains) {
        List<String> train = new ArrayList<>();
        List<SDVariable> frozen = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            List<String> usedBy = sd.getVariables().get(v.name()).getInputsForOp();
            boolean used = usedBy != null && !usedBy.isEmpty();
            if (used && trains.test(v.name())) {
                train.add(v.name());
            } else {
                frozen.add(v);
            }
        }
        sd.convertToConstants(frozen);
        return List.copyOf(train);
    }

    /** The arrays of {@code live} that stand for pretrained tensors (not untied copies, adapters or a head). */
    public static Map<String, INDArray> pretrainedOnly(Map<String, INDArray> live, Map<String, INDArray> pretrained) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        live.forEach((n, a) -> {
            if (pretrained.containsKey(n)) {
                out.put(n, a);
            }
        });
        return out;
    }

    /** The state entering a step graph's first step: placeholder {@link #SEGMENT_IN}. */
    public static SDVariable segmentInput(SameDiff sd, long hidden) {
        return sd.placeHolder(SEGMENT_IN, DataType.FLOAT, -1, -1, hidden);
    }

    /** Ends a step graph before the last with its output and the loss {@code sum(out * SEGMENT_GRAD)}. */
    public static void segmentOutput(SameDiff sd, SDVariable out) {
        SDVariable o = sd.identity(SEGMENT_OUT, out);
        SDVariable upstream = sd.placeHolder(SEGMENT_GRAD, DataType.FLOAT, -1, -1, -1);
        sd.sum(SEGMENT_LOSS, o.mul(upstream));
        sd.setLossVariables(SEGMENT_LOSS);
    }

    /**
     * Adds a listener to the graph and to its gradient function (which the first
     * {@link #lossAndGradients} builds; add it after that call to see the backward ops too).
     */
    public void addListener(Listener l) {
        listeners.add(l);
        listen(sd, l);
        built.values().forEach(p -> listen(p.g, l));
    }

    private static void listen(SameDiff graph, Listener l) {
        graph.addListeners(l);
        SameDiff grad = graph.getFunction("grad");
        if (grad != null) {
            grad.addListeners(l);
        }
    }

    /** Names of the trainable variables, in graph order. */
    public List<String> trainable() {
        return trainable;
    }

    /** Trainable parameters in total. */
    public long trainableCount() {
        return trainable.stream().mapToLong(n -> sd.getVariable(n).getArr().length()).sum();
    }

    /** The live arrays of the trainable variables (updated in place by the optimizer). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (String n : trainable) {
            p.put(n, sd.getVariable(n).getArr());
        }
        return p;
    }

    /** Matrices among the trainable variables: the ones weight decay applies to (not norms or biases). */
    public Set<String> decayed() {
        Set<String> d = new LinkedHashSet<>();
        for (String n : trainable) {
            if (sd.getVariable(n).getArr().rank() >= 2) {
                d.add(n);
            }
        }
        return d;
    }

    /** Loss and gradients of the trainable variables for one batch. */
    public record LossAndGrads(double loss, Map<String, INDArray> grads) {}

    /**
     * The loss and gradients of one batch, by recomputation at the plan's steps (see the class comment); equal
     * to {@link #wholeLossAndGradients} up to float rounding.
     */
    public LossAndGrads lossAndGradients(Map<String, INDArray> feed, Gradients how) {
        return how == Gradients.WHOLE ? wholeLossAndGradients(feed) : lossAndGradients(feed);
    }

    /**
     * The loss and gradients of one batch, by recomputation at the plan's steps (see the class comment); equal
     * to {@link #wholeLossAndGradients} up to float rounding.
     */
    public LossAndGrads lossAndGradients(Map<String, INDArray> feed) {
        if (segments == null || steps < 2) {
            return wholeLossAndGradients(feed);
        }
        if (parts == null) {
            parts = new ArrayList<>();
            for (int k = 0; k < steps; k++) {
                parts.add(segment(k, k + 1));
            }
        }
        return lossAndGradients(feed, parts);
    }

    /**
     * The loss and gradients of one batch with the executed steps {@code dropped} left out (LayerDrop, Fan et al.
     * 2019: the stream passes a dropped step unchanged, and its weights get no gradient from this batch; they are
     * absent from the result unless another step uses them). Recomputed at the steps; an empty set is
     * {@link #lossAndGradients(Map)}.
     */
    public LossAndGrads lossAndGradients(Map<String, INDArray> feed, Set<Integer> dropped) {
        if (dropped.isEmpty()) {
            return lossAndGradients(feed);
        }
        if (segments == null) {
            throw new UnsupportedOperationException("this graph has no per-step segments to drop");
        }
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            if (!dropped.contains(k)) {
                kept.add(k);
            }
        }
        List<Segment> run = new ArrayList<>();
        if (kept.isEmpty() || kept.get(0) != 0) {
            run.add(segment(0, 0));                     // the embeddings alone
        }
        for (int k : kept) {
            run.add(segment(k, k + 1));
        }
        if (kept.isEmpty() || kept.get(kept.size() - 1) != steps - 1) {
            run.add(segment(steps, steps));             // the head and loss alone
        }
        return lossAndGradients(feed, run);
    }

    private Segment segment(int from, int to) {
        return built.computeIfAbsent(List.of(from, to), k -> new Segment(from, to));
    }

    private LossAndGrads lossAndGradients(Map<String, INDArray> feed, List<Segment> parts) {
        int m = parts.size();
        // forward: the state entering each step; a step's backward is needed from the last trainable one back
        INDArray[] in = new INDArray[m];
        for (int i = 1; i < m; i++) {
            in[i] = parts.get(i - 1).forward(feed, in[i - 1]);
        }
        int first = 0;
        while (first < m - 1 && parts.get(first).trainable.isEmpty()) {
            first++;
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        double loss = Double.NaN;
        INDArray upstream = null;
        for (int i = m - 1; i >= first; i--) {
            Segment p = parts.get(i);
            OutAndGrad og = p.backward(feed, in[i], upstream, i > first);
            FrozenGraphs.free(upstream);
            if (i == m - 1) {
                INDArray l = og.getOutputs().get(LOSS);
                loss = l.getDouble(0);
                FrozenGraphs.free(l);
            }
            upstream = og.getGradients().get(SEGMENT_IN);
            for (String n : p.trainable) {
                INDArray g = og.getGradients().get(n);
                INDArray sum = grads.get(n);
                if (sum == null) {
                    grads.put(n, g);
                } else {
                    sum.addi(g);            // a tied block in several steps
                    FrozenGraphs.free(g);
                }
            }
        }
        FrozenGraphs.free(upstream);
        for (int i = 1; i < m; i++) {
            FrozenGraphs.free(in[i]);
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String n : trainable) {
            if (grads.containsKey(n)) {
                ordered.put(n, grads.get(n));
            }
        }
        return new LossAndGrads(loss, ordered);
    }

    /** The loss and gradients of one batch, the whole graph differentiated at once (every activation alive). */
    public LossAndGrads wholeLossAndGradients(Map<String, INDArray> feed) {
        if (!gradientsBuilt) {
            GradientBuild.build(sd);
            FrozenGraphs.useMemory(sd.getFunction("grad"), memory);
            gradientsBuilt = true;
        }
        OutAndGrad og = gradients(sd, feed, List.of(LOSS), trainable);
        INDArray loss = og.getOutputs().get(LOSS);
        double value = loss.getDouble(0);
        FrozenGraphs.free(loss);
        return new LossAndGrads(value, new LinkedHashMap<>(og.getGradients()));
    }

    /**
     * The graph of some executed steps, built by the family over the arrays the graph holds: its trainable
     * variables are the live parameter arrays of the whole graph (the optimizer's updates are seen here).
     */
    private final class Segment {
        final SameDiff g = FrozenGraphs.create();
        final List<String> trainable;
        final boolean last;
        final Set<String> inputs;
        private boolean built;

        Segment(int from, int to) {
            Map<String, INDArray> live = parameters();
            segments.build(g, from, to, live);
            this.last = to == steps;
            this.trainable = freeze(g, n -> trains.test(n) && live.containsKey(n));
            for (String n : trainable) {
                // untied copies, adapters and the head were made afresh for this graph: the live ones replace them
                g.getVariable(n).setArray(live.get(n));
                if (g.getVariable(n).getArr() != live.get(n)) {
                    throw new IllegalStateException("step graph " + from + " holds a copy of " + n + " ("
                            + g.getVariable(n).dataType() + "), not the trained array");
                }
            }
            this.inputs = Set.copyOf(g.inputs());
            listeners.forEach(g::addListeners);
        }

        private Map<String, INDArray> feed(Map<String, INDArray> feed, INDArray in, INDArray upstream) {
            Map<String, INDArray> f = new LinkedHashMap<>();
            feed.forEach((k, v) -> {
                if (inputs.contains(k)) {
                    f.put(k, v);
                }
            });
            if (in != null) {
                f.put(SEGMENT_IN, in);
            }
            if (upstream != null) {
                f.put(SEGMENT_GRAD, upstream);
            }
            return f;
        }

        INDArray forward(Map<String, INDArray> feed, INDArray in) {
            FrozenGraphs.useMemory(g, memory);
            return g.output(feed(feed, in, null), SEGMENT_OUT).get(SEGMENT_OUT);
        }

        /** Gradients of the trainable variables and, with {@code wantInput}, of the input state. */
        OutAndGrad backward(Map<String, INDArray> feed, INDArray in, INDArray upstream, boolean wantInput) {
            List<String> vars = new ArrayList<>(trainable);
            if (wantInput) {
                vars.add(SEGMENT_IN);
            }
            if (!built) {
                // the input state is a placeholder: differentiated only when named here
                GradientBuild.build(g, inputs.contains(SEGMENT_IN) ? new String[] {SEGMENT_IN} : new String[0]);
                FrozenGraphs.useMemory(g.getFunction("grad"), memory);
                listeners.forEach(l -> g.getFunction("grad").addListeners(l));
                built = true;
            }
            return gradients(g, feed(feed, in, upstream), last ? List.of(LOSS) : List.of(), vars);
        }
    }

    /**
     * Frees gradient arrays {@link #lossAndGradients} returned (the caller owns them) once the step is done with
     * them: a full fine-tuning step of BGE-small hands back 85 MB of them, otherwise freed only by a garbage
     * collection.
     */
    public static void free(Map<String, INDArray> grads) {
        grads.values().forEach(FrozenGraphs::free);
    }

    /** The current array of any graph variable or constant (trainable ones are updated in place). */
    public INDArray array(String name) {
        if (!sd.hasVariable(name)) {
            throw new IllegalArgumentException("no variable named " + name);
        }
        return sd.getVariable(name).getArr();
    }

    /** One output of a forward pass. */
    public INDArray output(Map<String, INDArray> feed, String name) {
        FrozenGraphs.useMemory(sd, memory);
        return sd.output(feed, name).get(name);
    }

    /**
     * {@code sd.calculateGradientsAndOutputs(feed, outputs, vars)} (its gradient function built) without its
     * {@code setEnableCache(false)}: with it, M2.1's session releases no array of the forward or backward pass
     * when its last reader is done, so every one waits for a garbage collection (BGE-small at 32 x 128: 1.2 GB
     * per block, ~16 GB for a step of the whole graph, growing over steps until the collector runs).
     */
    private static OutAndGrad gradients(SameDiff sd, Map<String, INDArray> feed, List<String> outputs, List<String> vars) {
        SameDiff grad = sd.getFunction("grad");
        List<String> names = new ArrayList<>(outputs);
        Map<String, String> gradNames = new LinkedHashMap<>();
        for (String v : vars) {
            SDVariable g = sd.getVariable(v).getGradient();
            if (g != null) {
                gradNames.put(v, g.name());
                names.add(g.name());
            }
        }
        grad.setEnableCache(true);
        Map<String, INDArray> r = grad.output(feed, names.toArray(new String[0]));
        Map<String, INDArray> outs = new LinkedHashMap<>();
        outputs.forEach(o -> outs.put(o, r.get(o)));
        Map<String, INDArray> grads = new LinkedHashMap<>();
        gradNames.forEach((v, g) -> grads.put(v, r.get(g)));
        return new OutAndGrad(outs, grads);
    }
}
