package painters.model.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;
import painters.model.plan.LayerPlan;
import painters.model.plan.PlanText;
import painters.model.plan.Step;

/**
 * A model's tensors arranged as a plain model of the same family whose block k is what executed step k of a plan
 * runs: a block's tensors (a repeat copies them again), or a merge's element-wise means (float64, rounded once to the
 * tensors' dtype). Tensors are matched by their place in each block of the layouts (block and part are data; no name
 * is parsed); tensors outside the blocks keep their names. A parallel step has no plain-model form and is refused.
 */
public final class BlockOrder {

    private BlockOrder() {}

    /**
     * The tensors of {@code target} (the family's layout at the plan's depth) from {@code source} run as {@code plan}.
     */
    public static Map<String, INDArray> of(Weights source, TensorLayout target, LayerPlan plan) {
        List<Step> steps = plan.flattened().steps();
        for (int k = 0; k < steps.size(); k++) {
            if (steps.get(k) instanceof Step.Parallel p) {
                throw new UserInputException("plan " + plan.print() + " has no plain-model form: executed step " + k
                        + ", " + PlanText.print(p) + ", runs blocks in parallel");
            }
        }
        Map<Integer, List<TensorSpec>> from = byBlock(source.layout());
        Map<Integer, List<TensorSpec>> to = byBlock(target);
        if (to.size() != steps.size()) {
            throw new IllegalArgumentException("target layout has " + to.size() + " blocks for " + steps.size()
                    + " executed steps");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (TensorSpec t : target.all()) {
            if (t.block() < 0) {
                out.put(t.name(), source.get(t.name()));
                continue;
            }
            int position = to.get(t.block()).indexOf(t);
            List<Integer> blocks = steps.get(t.block()).blocks();
            List<INDArray> parts = new ArrayList<>();
            for (int b : blocks) {
                TensorSpec s = from.get(b).get(position);
                if (s.part() != t.part() || !Arrays.equals(s.shape(), t.shape())) {
                    throw new IllegalStateException("layouts disagree: " + s.name() + " ~ " + t.name());
                }
                parts.add(source.get(s.name()));
            }
            out.put(t.name(), parts.size() == 1 ? parts.get(0) : mean(parts));
        }
        return out;
    }

    private static INDArray mean(List<INDArray> parts) {
        INDArray sum = parts.get(0).castTo(DataType.DOUBLE);
        for (INDArray p : parts.subList(1, parts.size())) {
            sum = sum.add(p.castTo(DataType.DOUBLE));
        }
        return sum.divi(parts.size()).castTo(parts.get(0).dataType());
    }

    private static Map<Integer, List<TensorSpec>> byBlock(TensorLayout layout) {
        Map<Integer, List<TensorSpec>> m = new HashMap<>();
        for (TensorSpec t : layout.all()) {
            if (t.block() >= 0) {
                m.computeIfAbsent(t.block(), k -> new ArrayList<>()).add(t);
            }
        }
        return m;
    }
}
