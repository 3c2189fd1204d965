package painters.eval.analysis;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.UserInputException;

/** Shape checks shared by the analyses. */
final class Shapes {

    private Shapes() {}

    static void check(List<INDArray> states, INDArray mask, int expected) {
        if (states.size() != expected) {
            throw new UserInputException("expected " + expected + " states, got " + states.size());
        }
        if (mask.rank() != 2) {
            throw new UserInputException("mask must be [batch, seq], got " + Arrays.toString(mask.shape()));
        }
        for (int k = 0; k < states.size(); k++) {
            INDArray s = states.get(k);
            if (s.rank() != 3 || s.size(0) != mask.size(0) || s.size(1) != mask.size(1)) {
                throw new UserInputException("state " + k + " has shape " + Arrays.toString(s.shape())
                        + ", mask " + Arrays.toString(mask.shape()));
            }
        }
    }

    /** Index of each row's last real token. */
    static int[] lastReal(INDArray mask) {
        int[] last = new int[(int) mask.size(0)];
        for (int b = 0; b < last.length; b++) {
            last[b] = -1;
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(b, t) > 0) {
                    last[b] = t;
                }
            }
            if (last[b] < 0) {
                throw new UserInputException("row " + b + " of the batch has no real token");
            }
        }
        return last;
    }
}
