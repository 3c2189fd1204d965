package painters.model.plan;

import java.util.List;
import java.util.stream.IntStream;
import painters.model.UserInputException;

/**
 * The paper's split of T blocks at s (PAPER.md, following the authors' code):
 * F = [0..s] (s+1 blocks), M = [s+1..T-s-1] (T-2s-1 blocks, the affected ones), L = [T-s..T-1]
 * (s blocks). Requires 0 <= s and |M| >= 1, i.e. s <= (T-2)/2.
 *
 * @param numLayers T
 * @param s         the "start layer"
 */
public record Split(int numLayers, int s) {

    public Split {
        if (numLayers < 2) {
            throw new UserInputException("a split needs T >= 2 blocks, got " + numLayers);
        }
        if (s < 0 || numLayers - 2 * s - 1 < 1) {
            throw new UserInputException("split s=" + s + " leaves no middle block for T=" + numLayers
                    + " (valid: 0.." + maxS(numLayers) + ")");
        }
    }

    /** Largest valid s for T blocks. */
    public static int maxS(int numLayers) {
        return (numLayers - 2) / 2;
    }

    /** Every valid split of T blocks, s = 0 .. maxS. */
    public static List<Split> all(int numLayers) {
        return IntStream.rangeClosed(0, maxS(numLayers)).mapToObj(s -> new Split(numLayers, s))
                .toList();
    }

    public List<Integer> first() {
        return LayerPlan.range(0, s);
    }

    /** M, ascending. */
    public List<Integer> middle() {
        return LayerPlan.range(s + 1, numLayers - s - 1);
    }

    public List<Integer> last() {
        return s == 0 ? List.of() : LayerPlan.range(numLayers - s, numLayers - 1);
    }

    /** |M|, the number of affected blocks (the x axis of the paper's figures). */
    public int affected() {
        return numLayers - 2 * s - 1;
    }

    /** floor(T/2), the block middle repeat runs. */
    public int centre() {
        return numLayers / 2;
    }
}
