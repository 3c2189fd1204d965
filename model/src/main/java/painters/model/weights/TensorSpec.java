package painters.model.weights;

import java.util.Arrays;

/**
 * One tensor a model family expects in a checkpoint.
 *
 * @param name  canonical name, as the family's checkpoints spell it (e.g. {@code model.layers.3.mlp.up_proj.weight})
 * @param shape expected shape (dense weights in PyTorch's {@code [out, in]} layout)
 * @param block the block it belongs to, or -1 outside the blocks: data set by the family, never read
 *              back out of the name
 * @param part  what it is
 */
public record TensorSpec(String name, long[] shape, int block, Part part) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public boolean inBlock() {
        return block >= 0;
    }

    /** A 2-D weight (as opposed to a bias or a norm's scale). */
    public boolean matrix() {
        return shape.length == 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.block == block
                && t.part == part;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (block >= 0 ? " block " + block : "") + " " + part;
    }
}
