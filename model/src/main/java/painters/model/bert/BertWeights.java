package painters.model.bert;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.hf.BertTensorNames;
import painters.model.weights.CanonicalTensors;
import painters.model.weights.TensorMap;

/**
 * The pretrained tensors of a BERT-family encoder under canonical names, checked against the config:
 * every tensor present, every shape as the config says, float dtype. Immutable by convention: the
 * experiment is a layer plan, never a change to these arrays.
 */
public final class BertWeights {

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
        Map<String, INDArray> t = CanonicalTensors.of(checkpoint, BertTensorNames::canonical,
                BertTensorNames.expectedShapes(config),
                config.numLayers() + "-layer BERT encoder, hidden " + config.hiddenSize());
        return new BertWeights(config, checkpoint.source(), t);
    }

    /** A deep copy, for a fine-tuning graph that changes its weights (the pretrained arrays never change). */
    public BertWeights copy() {
        Map<String, INDArray> t = new java.util.LinkedHashMap<>();
        tensors.forEach((k, a) -> t.put(k, a.dup()));
        return new BertWeights(config, source, t);
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
