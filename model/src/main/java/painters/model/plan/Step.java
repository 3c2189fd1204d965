package painters.model.plan;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import painters.model.UserInputException;

/**
 * One element of a {@link LayerPlan}: run a block, run blocks in parallel, run the merge of blocks, or loop a
 * sub-plan. Serializable, so a plan travels to another process (a Spark executor) as the value it is.
 */
public sealed interface Step extends Serializable permits Step.Run, Step.Parallel, Step.Merge, Step.Loop {

    /** Block applications on the critical path (a parallel step counts once): one, but for a loop. */
    default int depth() {
        return 1;
    }

    /** Total block applications (a parallel step counts each of its blocks). */
    int applications();

    /** Largest block index used. */
    default int maxLayer() {
        return blocks().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The pretrained blocks this step reads, each once, in order of first use. */
    List<Integer> blocks();

    /** Run block {@code layer} on the current state. */
    record Run(int layer) implements Step {
        public Run {
            if (layer < 0) {
                throw new UserInputException("block index " + layer + " is negative");
            }
        }

        @Override
        public int applications() {
            return 1;
        }

        @Override
        public int maxLayer() {
            return layer;
        }

        @Override
        public List<Integer> blocks() {
            return List.of(layer);
        }
    }

    /**
     * Run every block of {@code layers} on the same input h and average their outputs, residual
     * included: {@code mean_i block_i(h) = h + (1/n) sum_i delta_i(h)} (PAPER.md, "parallel").
     */
    record Parallel(List<Integer> layers) implements Step {
        public Parallel {
            layers = distinct(layers, "parallel");
        }

        @Override
        public int applications() {
            return layers.size();
        }

        @Override
        public List<Integer> blocks() {
            return layers;
        }
    }

    /**
     * Run one block whose every tensor (weights, biases, norms) is the element-wise mean of that tensor over
     * {@code layers}: one block application where a parallel step over the same blocks runs {@code layers.size()}.
     * The merged weights are derived where the graph is built; the pretrained tensors never change. A merge of one
     * block is that block.
     */
    record Merge(List<Integer> layers) implements Step {
        public Merge {
            layers = distinct(layers, "merge");
        }

        @Override
        public int applications() {
            return 1;
        }

        @Override
        public List<Integer> blocks() {
            return layers;
        }
    }

    /** Apply {@code body} {@code times} times in a row, feeding each output back as the next input. */
    record Loop(List<Step> body, int times) implements Step {
        public Loop {
            if (body == null || body.isEmpty()) {
                throw new UserInputException("a loop needs a non-empty body");
            }
            if (times < 1) {
                throw new UserInputException("a loop runs at least once, got x" + times);
            }
            body = List.copyOf(body);
        }

        @Override
        public int depth() {
            return (int) Math.min(Integer.MAX_VALUE, (long) times * body.stream().mapToLong(Step::depth).sum());
        }

        @Override
        public int applications() {
            return (int) Math.min(Integer.MAX_VALUE, (long) times * body.stream().mapToLong(Step::applications).sum());
        }

        @Override
        public int maxLayer() {
            return body.stream().mapToInt(Step::maxLayer).max().orElseThrow();
        }

        @Override
        public List<Integer> blocks() {
            return body.stream().flatMap(s -> s.blocks().stream()).distinct().toList();
        }
    }

    /** The blocks of a parallel or merge step: at least one, none negative, none twice (a copy). */
    private static List<Integer> distinct(List<Integer> layers, String what) {
        if (layers == null || layers.isEmpty()) {
            throw new UserInputException("a " + what + " step needs at least one block");
        }
        Set<Integer> seen = new HashSet<>();
        for (int l : layers) {
            if (l < 0) {
                throw new UserInputException("block index " + l + " is negative in " + what + " step " + layers);
            }
            if (!seen.add(l)) {
                throw new UserInputException("block " + l + " appears twice in " + what + " step " + layers);
            }
        }
        return List.copyOf(layers);
    }
}
