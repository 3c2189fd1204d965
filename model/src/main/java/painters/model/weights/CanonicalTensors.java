package painters.model.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.ModelFormatException;

/**
 * Renames a checkpoint's tensors to a model family's canonical names and checks them against what
 * the config implies: every expected tensor present once, with the expected shape and a float dtype
 * (converted to FLOAT). Tensors the family does not use are logged and dropped.
 */
public final class CanonicalTensors {

    private static final Logger log = LoggerFactory.getLogger(CanonicalTensors.class);

    private CanonicalTensors() {}

    /**
     * @param checkpoint the tensors as read, with the checkpoint's names
     * @param canonical  checkpoint name to canonical name; empty for tensors dropped on purpose
     * @param expected   canonical name to shape, in the order the result keeps
     * @param what       the model in words, for messages ("12-layer BERT encoder, hidden 384")
     */
    public static Map<String, INDArray> of(TensorMap checkpoint, Function<String, Optional<String>> canonical,
                                           Map<String, long[]> expected, String what) {
        String src = checkpoint.source();
        Map<String, INDArray> canon = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : checkpoint.tensors().entrySet()) {
            Optional<String> c = canonical.apply(e.getKey());
            if (c.isEmpty()) {
                continue;
            }
            String name = c.get();
            if (!expected.containsKey(name)) {
                unknown.add(e.getKey());
                continue;
            }
            String prev = origin.put(name, e.getKey());
            if (prev != null) {
                throw new ModelFormatException(src + ": tensors \"" + prev + "\" and \"" + e.getKey()
                        + "\" both map to \"" + name + "\"");
            }
            canon.put(name, e.getValue());
        }
        if (!unknown.isEmpty()) {
            log.warn("{}: {} tensors not used by a {}, ignored: {}", src, unknown.size(), what,
                    unknown.size() > 8 ? unknown.subList(0, 8) + "..." : unknown);
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray a = canon.get(e.getKey());
            if (a == null) {
                throw new ModelFormatException(src + ": missing tensor \"" + e.getKey() + "\" (expected shape "
                        + Arrays.toString(e.getValue()) + " for a " + what + ")");
            }
            String from = origin.get(e.getKey());
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw new ModelFormatException(src + ": tensor \"" + from + "\" has shape " + Arrays.toString(a.shape())
                        + " but config.json implies " + Arrays.toString(e.getValue()));
            }
            if (!a.dataType().isFPType()) {
                throw new ModelFormatException(src + ": tensor \"" + from + "\" has dtype " + a.dataType()
                        + ", expected a float type");
            }
            INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
            long bad = nonFinite(f);
            if (bad > 0) {
                throw new ModelFormatException(src + ": tensor \"" + from + "\" holds " + bad + " NaN or infinite "
                        + "values of " + f.length() + "; a model with them computes nothing meaningful");
            }
            ordered.put(e.getKey(), f);
        }
        return ordered;
    }

    /** How many of {@code a}'s values are NaN or infinite. */
    static long nonFinite(INDArray a) {
        return a.scan(Conditions.isNan()).longValue()
                + a.scan(Conditions.isInfinite()).longValue();
    }
}
