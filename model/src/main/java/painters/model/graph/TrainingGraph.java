package painters.model.graph;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff graph with a loss in which only some variables train: the rest become constants, so
 * gradients are neither computed nor applied there. Variables no op reads (a block the plan never
 * runs) never train. Model families build the graph (their objective: a task head, the causal LM
 * loss); this class owns the trainable set, the live parameter arrays and the loss-and-gradient call.
 */
public class TrainingGraph {

    public static final String LOSS = "loss";

    protected final SameDiff sd;
    private final List<String> trainable;
    private boolean gradientsBuilt;

    /** Freezes every variable of {@code sd} that {@code trains} rejects or no op reads; {@code sd} has its loss set. */
    protected TrainingGraph(SameDiff sd, Predicate<String> trains) {
        this.sd = sd;
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
        this.trainable = List.copyOf(train);
    }

    /**
     * Adds a listener to the graph and to its gradient function (which the first
     * {@link #lossAndGradients} builds; add it after that call to see the backward ops too).
     */
    public void addListener(org.nd4j.autodiff.listeners.Listener l) {
        sd.addListeners(l);
        SameDiff grad = sd.getFunction("grad");
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

    public LossAndGrads lossAndGradients(Map<String, INDArray> feed) {
        OutAndGrad og;
        if (!gradientsBuilt) {
            og = quietly(() -> sd.calculateGradientsAndOutputs(feed, List.of(LOSS), trainable));
            gradientsBuilt = true;
        } else {
            // the gradient session keeps SameDiff's own array cache: with FrozenGraphs' 256 MB one, a full
            // fine-tuning step of BGE-small at 32 x 128 ran at 11.1% of the sgemm peak against 12.2-14.9% (its
            // ~11 GB of activations allocated afresh every step) and peaked no lower
            og = sd.calculateGradientsAndOutputs(feed, List.of(LOSS), trainable);
        }
        INDArray loss = og.getOutputs().get(LOSS);
        double value = loss.getDouble(0);
        FrozenGraphs.free(loss);
        return new LossAndGrads(value, new LinkedHashMap<>(og.getGradients()));
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
        return sd.output(feed, name).get(name);
    }

    /** M2.1 prints every differentiated op while it builds the gradient function. */
    private static synchronized <T> T quietly(java.util.function.Supplier<T> run) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return run.get();
        } finally {
            System.setOut(out);
        }
    }
}
