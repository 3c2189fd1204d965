package painters.model.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LoRA (Hu et al. 2021) on any family's blocks: each target weight {@code W [out, in]} is read as
 * {@code W + s B A} with {@code A [r, in]} uniform in {@code +-1/sqrt(in)} (seeded), {@code B [out, r]}
 * zero (so the adapted model starts equal to the frozen one) and {@code s = alpha / r}. The adapters
 * are the variables {@code lora.A/<name>} and {@code lora.B/<name>}; one adapter per weight, shared
 * by every use of its block (repeats stay tied). The base weights are left as they are; the training
 * graph freezes them.
 */
public final class LoraAdapters {

    public static final String A = "lora.A/";
    public static final String B = "lora.B/";

    private LoraAdapters() {}

    /** Whether a graph variable is a LoRA adapter. */
    public static boolean isAdapter(String variable) {
        return variable.startsWith(A) || variable.startsWith(B);
    }

    /**
     * Wraps the weights named in {@code targets} (canonical names) in the blocks built from now on.
     *
     * @param rank  r
     * @param scale alpha / r
     */
    public static void install(GraphWeights weights, Set<String> targets, int rank, double scale) {
        if (targets.isEmpty()) {
            return;
        }
        SameDiff sd = weights.graph();
        Random rnd = new Random(targets.size() * 31L + rank);
        Map<String, SDVariable> delta = new LinkedHashMap<>();
        weights.setTransform((name, w) -> {
            if (!targets.contains(name)) {
                return w;
            }
            return delta.computeIfAbsent(name, k -> {
                long[] shape = weights.shape(k);
                long out = shape[0];
                long in = shape[1];
                double bound = 1.0 / Math.sqrt(in);
                float[] a = new float[(int) (rank * in)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                }
                SDVariable la = sd.var(A + k, Nd4j.create(a, new long[] {rank, in}, 'c'));
                SDVariable lb = sd.var(B + k, Nd4j.zeros(DataType.FLOAT, out, rank));
                SDVariable ba = lb.mmul(la);                                          // [out, in]
                return w.add(scale == 1.0 ? ba : ba.mul(scale));
            });
        });
    }
}
