package painters.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import painters.model.UserInputException;

/**
 * AdamW (Loshchilov and Hutter), exactly PyTorch's update: {@code p *= 1 - lr*wd} for decayed
 * parameters, then {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}. Weight decay applies only to the
 * parameters in {@code decayed} (by convention: matrices, not norms or biases). State is per
 * parameter name and can be saved and restored.
 */
public final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Set<String> decayed;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private int t;
    private boolean idleAllowed;

    public AdamW(double beta1, double beta2, double eps, double weightDecay, Set<String> decayed) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decayed = Set.copyOf(decayed);
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public static AdamW withDefaults(double weightDecay, Set<String> decayed) {
        return new AdamW(0.9, 0.999, 1e-8, weightDecay, decayed);
    }

    /**
     * Updates {@code params} in place from {@code grads} (same names) at learning rate {@code lr}. Every
     * operation is in place on the parameter, its moments or one scratch buffer reused for all parameters
     * (no temporary arrays per step); the arithmetic and its order are the textbook form's.
     */
    /**
     * Lets parameters without a gradient this step sit the step out (LayerDrop's dropped blocks): no update, no decay,
     * their moments unchanged, as PyTorch's optimizers skip a parameter whose gradient is None; the bias correction
     * still counts the global step. Without it a missing gradient is an error.
     */
    public AdamW allowIdle() {
        this.idleAllowed = true;
        return this;
    }

    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, t));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            if (g == null) {
                if (idleAllowed) {
                    continue;
                }
                throw new UserInputException("no gradient for parameter " + name);
            }
            INDArray mi = m.computeIfAbsent(name, k -> p.like());
            INDArray vi = v.computeIfAbsent(name, k -> p.like());
            INDArray tmp = scratch(p);
            if (weightDecay > 0 && decayed.contains(name)) {
                p.muli(1 - lr * weightDecay);
            }
            mi.muli(beta1).addi(tmp.assign(g).muli(1 - beta1));                  // m = b1 m + (1-b1) g
            vi.muli(beta2).addi(tmp.assign(g).muli(g).muli(1 - beta2));          // v = b2 v + (1-b2) g^2
            Nd4j.exec(new Sqrt(vi, tmp));
            tmp.divi(bc2).addi(eps);                                             // sqrt(v)/sqrt(1-b2^t) + eps
            p.subi(tmp.rdivi(mi).muli(lr / bc1));                                // p -= lr/(1-b1^t) m / denom
        }
    }

    private INDArray scratchBuffer;

    /** A view of one reused buffer, shaped like {@code p}. */
    private INDArray scratch(INDArray p) {
        long n = p.length();
        if (scratchBuffer == null || scratchBuffer.length() < n || scratchBuffer.dataType() != p.dataType()) {
            scratchBuffer = Nd4j.create(p.dataType(), Math.max(n, scratchBuffer == null ? 0 : scratchBuffer.length()));
        }
        return scratchBuffer.get(NDArrayIndex.interval(0, n)).reshape('c', p.shape());
    }

    /** Steps taken. */
    public int steps() {
        return t;
    }

    /** First and second moments by parameter name ({@code m.NAME}, {@code v.NAME}), for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("m." + k, a));
        v.forEach((k, a) -> s.put("v." + k, a));
        return s;
    }

    /** Restores {@link #state()} and the step count. */
    public void restore(Map<String, INDArray> state, int steps) {
        m.clear();
        v.clear();
        state.forEach((k, a) -> {
            if (k.startsWith("m.")) {
                m.put(k.substring(2), a.dup());
            } else if (k.startsWith("v.")) {
                v.put(k.substring(2), a.dup());
            } else {
                throw new UserInputException("unknown optimizer state " + k);
            }
        });
        t = steps;
    }
}
