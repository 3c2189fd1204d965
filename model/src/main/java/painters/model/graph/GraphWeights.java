package painters.model.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.IntUnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.plan.Step;

/**
 * A model's pretrained tensors as variables of one SameDiff graph, one variable per tensor named as in
 * the checkpoint, so a block applied several times reuses (ties) the same weights. Two things any
 * family's blocks get from here rather than building themselves:
 * <ul>
 *   <li><b>untied copies</b>: the {@code use}-th application (use >= 2) of a block may read its own
 *   copy of the block's weights ({@link #copyName}), initialised from the pretrained tensors, so
 *   fine-tuning can change each use separately;</li>
 *   <li><b>a weight transform</b> applied to every block weight as it is read (a LoRA adapter's
 *   {@code W + s B A}); the default is the weight itself.</li>
 * </ul>
 */
public final class GraphWeights {

    private final SameDiff sd;
    private final Map<String, SDVariable> vars = new LinkedHashMap<>();
    private final Map<String, SDVariable> widened = new LinkedHashMap<>();
    private final Map<String, SDVariable> means = new HashMap<>();
    private BiFunction<String, SDVariable, SDVariable> transform = (name, v) -> v;

    /** Registers every tensor as a variable of {@code sd}, in the map's order. */
    public GraphWeights(SameDiff sd, Map<String, INDArray> tensors) {
        this.sd = sd;
        tensors.forEach((name, arr) -> vars.put(name, sd.var(name, arr)));
    }

    /**
     * The graph variable holding a pretrained tensor (canonical name), untransformed, as FLOAT: a tensor
     * held in half precision is widened by a cast op as the graph reads it (computation stays fp32).
     */
    public SDVariable get(String name) {
        SDVariable v = stored(name);
        if (v.dataType() == DataType.FLOAT) {
            return v;
        }
        return widened.computeIfAbsent(name, k -> sd.castTo(k + "/fp32", v, DataType.FLOAT));
    }

    /** The shape of a pretrained tensor (canonical name). */
    public long[] shape(String name) {
        return stored(name).getArr().shape();
    }

    private SDVariable stored(String name) {
        SDVariable v = vars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return v;
    }

    /**
     * A block weight as the {@code use}-th application of its block reads it: the pretrained variable
     * (use 1) or its untied copy, through the weight transform.
     */
    public SDVariable block(String name, int use) {
        SDVariable w = get(name);
        if (use > 1) {
            w = vars.computeIfAbsent(copyName(name, use), k -> {
                INDArray a = stored(name).getArr();
                return sd.var(k, a.dataType() == DataType.FLOAT ? a.dup() : a.castTo(DataType.FLOAT));
            });
        }
        return transform.apply(name, w);
    }

    /** Names of all weight variables (pretrained tensors and untied copies made so far). */
    public Set<String> names() {
        return Collections.unmodifiableSet(vars.keySet());
    }

    /** Name of the weight {@code name} in the {@code use}-th copy of its block (use >= 2). */
    public static String copyName(String name, int use) {
        return "use" + use + "/" + name;
    }

    /** The canonical name an untied copy's name stands for (the name itself for a pretrained variable). */
    public static String baseName(String variable) {
        return variable.startsWith("use") && variable.contains("/") ? variable.substring(variable.indexOf('/') + 1)
                : variable;
    }

    /**
     * Replaces every block weight by {@code transform(canonicalName, variable)} in the blocks built
     * from now on.
     */
    public void setTransform(BiFunction<String, SDVariable, SDVariable> transform) {
        this.transform = transform;
        means.clear();
    }

    /**
     * The element-wise mean of block weights ({@code names[i]} as the {@code uses[i]}-th application of its block
     * reads it, through the weight transform): a merged block's tensor ({@code Step.Merge}). An op of the graph over
     * the pretrained variables, which never change; a fine-tuned merge trains them through it. Built once per
     * graph for the same names and uses.
     */
    public SDVariable mean(List<String> names, int[] uses) {
        if (names.isEmpty() || names.size() != uses.length) {
            throw new IllegalArgumentException("a mean needs one use per name: " + names + ", " + uses.length);
        }
        String key = names + "@" + Arrays.toString(uses);
        SDVariable m = means.get(key);
        if (m == null) {
            SDVariable[] parts = new SDVariable[names.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = block(names.get(i), uses[i]);
            }
            m = parts.length == 1 ? parts[0] : sd.math.mergeAvg("mean" + means.size() + "/" + names.get(0), parts);
            means.put(key, m);
        }
        return m;
    }

    /**
     * Which copy each application of a block reads: with {@code untie} the k-th application of block
     * i gets k (its own copy from the second on), without every application gets 1 (tied). In a graph of
     * a plan's later steps, the applications in {@code before} (the flattened plan's earlier steps, built
     * elsewhere) count, so each application reads the copy it reads in the whole plan.
     */
    public static IntUnaryOperator uses(boolean untie, List<Step> before) {
        Map<Integer, Integer> count = new HashMap<>();
        for (Step s : before) {
            if (s instanceof Step.Loop) {
                throw new IllegalArgumentException("earlier steps must be flattened (no loop): " + s);
            }
            s.blocks().forEach(l -> count.merge(l, 1, Integer::sum));
        }
        return layer -> untie ? count.merge(layer, 1, Integer::sum) : 1;
    }

    /** The copy each of {@code layers} reads in one step that reads them all (a parallel step, a merge). */
    public static int[] copies(IntUnaryOperator uses, List<Integer> layers) {
        int[] copies = new int[layers.size()];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = uses.applyAsInt(layers.get(i));
        }
        return copies;
    }

    public SameDiff graph() {
        return sd;
    }
}
