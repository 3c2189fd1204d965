package painters.model.bert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import painters.model.ModelFormatException;
import painters.model.hf.BertTensorNames;
import painters.model.weights.TensorMap;

/**
 * The pretrained tensors of a BERT-family encoder under canonical names, checked against the config:
 * every tensor present, every shape as the config says, float dtype. Immutable by convention: the
 * experiment is a layer plan, never a change to these arrays.
 */
public final class BertWeights {

    private static final Logger log = LoggerFactory.getLogger(BertWeights.class);

    private final BertConfig config;
    private final String source;
    private final Map<String, INDArray> tensors;

    private BertWeights(BertConfig config, String source, Map<String, INDArray> tensors) {
        this.config = config;
        this.source = source;
        this.tensors = tensors;
    }

    /** Maps checkpoint names to canonical ones and validates them against {@code config}. */
    public static BertWeights from(BertConfig config, TensorMap checkpoint) {
        String src = checkpoint.source();
        Map<String, INDArray> canon = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        Map<String, long[]> expected = BertTensorNames.expectedShapes(config);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : checkpoint.tensors().entrySet()) {
            Optional<String> c = BertTensorNames.canonical(e.getKey());
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
            log.warn("{}: {} tensors not used by a {}-layer BERT encoder, ignored: {}", src, unknown.size(),
                    config.numLayers(), unknown.size() > 8 ? unknown.subList(0, 8) + "..." : unknown);
        }
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray a = canon.get(e.getKey());
            if (a == null) {
                throw new ModelFormatException(src + ": missing tensor \"" + e.getKey() + "\" (expected shape "
                        + Arrays.toString(e.getValue()) + " for " + config.numLayers() + " layers, hidden "
                        + config.hiddenSize() + ")");
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
            ordered.put(e.getKey(), a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
        }
        return new BertWeights(config, src, ordered);
    }

    public BertConfig config() {
        return config;
    }

    public String source() {
        return source;
    }

    /** Canonical name -> array, in a stable order (embeddings, then block 0, 1, ...). */
    public Map<String, INDArray> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    public INDArray get(String canonicalName) {
        INDArray a = tensors.get(canonicalName);
        if (a == null) {
            throw new ModelFormatException(source + ": missing tensor \"" + canonicalName + "\"");
        }
        return a;
    }

    /** Total number of parameters. */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(INDArray::length).sum();
    }
}
