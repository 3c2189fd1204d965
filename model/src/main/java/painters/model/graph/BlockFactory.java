package painters.model.graph;

import java.util.List;
import painters.model.plan.Step;

/**
 * A family's blocks built into one graph, bound to a set of graph inputs {@code I} as a {@link BlockStack}: the one
 * method a family writes is {@link #stack(Object, boolean, List)}; the shorter forms are shared.
 *
 * @param <I> the family's graph inputs (placeholders such as ids, positions, masks)
 */
public interface BlockFactory<I> {

    /**
     * The blocks bound to {@code in}; with {@code untie}, the k-th use (k >= 2) of a block runs its own copy of the
     * block's weights ({@link GraphWeights#copyName}), without, every use shares one set (tied). {@code before}, the
     * flattened plan's earlier steps for a graph of its later steps, count as uses
     * ({@link GraphWeights#uses(boolean, List)}).
     */
    BlockStack stack(I in, boolean untie, List<Step> before);

    /** The blocks bound to {@code in}, every use of a block sharing one set of weights. */
    default BlockStack stack(I in) {
        return stack(in, false);
    }

    /** As {@link #stack(Object, boolean, List)} for a whole plan. */
    default BlockStack stack(I in, boolean untie) {
        return stack(in, untie, List.of());
    }
}
