package painters.training;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global-norm clipping and the finiteness check of a step's gradients. */
public final class Gradients {

    private Gradients() {}

    /** sqrt of the sum of squares of every gradient. NaN or infinite if any element is. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double s = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            s += n * n;
        }
        return Math.sqrt(s);
    }

    /**
     * Scales all gradients in place so that their global norm is at most {@code maxNorm} (PyTorch's
     * clip_grad_norm_: factor maxNorm / (norm + 1e-6) when norm exceeds it). Returns the norm before.
     */
    public static double clip(Map<String, INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && norm > maxNorm) {
            double f = maxNorm / (norm + 1e-6);
            grads.values().forEach(g -> g.muli(f));
        }
        return norm;
    }

    /** The name of a gradient holding NaN or infinity, or null. */
    public static String firstNonFinite(Map<String, INDArray> grads) {
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            double n = e.getValue().norm2Number().doubleValue();
            if (!Double.isFinite(n)) {
                return e.getKey();
            }
        }
        return null;
    }
}
