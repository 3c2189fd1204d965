package painters.model.decoder;

import static painters.model.decoder.TensorRole.*;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import painters.model.weights.TensorSpec;

/**
 * A decoder's weights before training, as transformers' {@code _init_weights} makes them: every projection and
 * embedding table normal with mean 0 and standard deviation {@code initializer_range}, every bias zero, every norm's
 * scale one (zero where the family stores it as an offset, {@code x_hat (1 + w)}: Gemma) and every norm's shift
 * zero; projections into the residual stream (attention output, MLP down) may take a smaller deviation (GPT-2:
 * {@code initializer_range / sqrt(2 n_layer)}). Seeded and drawn in layout order with {@link Random#nextGaussian}
 * in float64, rounded once to float32, so a seed gives the same tensors on every machine.
 */
public final class DecoderInit {

    private static final Set<TensorRole> BIASES = EnumSet.of(ATTN_NORM_BIAS, MLP_NORM_BIAS, Q_BIAS, K_BIAS, V_BIAS,
            QKV_BIAS, O_BIAS, UP_BIAS, DOWN_BIAS, FINAL_NORM_BIAS);
    private static final Set<TensorRole> NORMS = EnumSet.of(ATTN_NORM, ATTN_POST_NORM, MLP_NORM, MLP_POST_NORM, Q_NORM,
            K_NORM, FINAL_NORM);
    private static final Set<TensorRole> INTO_STREAM = EnumSet.of(O, DOWN);

    private DecoderInit() {}

    /**
     * The canonical tensors of a decoder with config {@code c}.
     *
     * @param std       initializer_range
     * @param streamStd the deviation of the projections into the residual stream (attention output, MLP down)
     */
    public static Map<String, INDArray> tensors(DecoderConfig c, double std, double streamStd, long seed) {
        TensorNames names = c.spec().names();
        Map<String, TensorRole> roleOf = new HashMap<>();
        for (TensorRole r : TensorRole.values()) {
            if (names.has(r)) {
                for (int i = 0; i < (r.perLayer() ? c.numLayers() : 1); i++) {
                    roleOf.put(names.name(r, i), r);
                }
            }
        }
        Random rnd = new Random(seed);
        float scale = (float) (1 - c.spec().normOffset());
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (TensorSpec t : DecoderTensors.layout(c).all()) {
            TensorRole r = roleOf.get(t.name());
            long n = 1;
            for (long s : t.shape()) {
                n *= s;
            }
            float[] v = new float[Math.toIntExact(n)];
            if (NORMS.contains(r)) {
                Arrays.fill(v, scale);
            } else if (!BIASES.contains(r)) {
                double sd = INTO_STREAM.contains(r) ? streamStd : std;
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) (rnd.nextGaussian() * sd);
                }
            }
            out.put(t.name(), Nd4j.create(v, t.shape(), 'c'));
        }
        return out;
    }
}
