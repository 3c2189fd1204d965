package painters.model.llama;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import painters.model.ModelFormatException;
import painters.model.hf.LlamaTensorNames;
import painters.model.weights.CanonicalTensors;
import painters.model.weights.TensorMap;

/**
 * The pretrained tensors of a Llama-family decoder under canonical (HF) names, checked against the
 * config, as FLOAT. Immutable by convention: an experiment is a layer plan, never a change to these.
 */
public final class LlamaWeights {

    private final LlamaConfig config;
    private final String source;
    private final Map<String, INDArray> tensors;

    private LlamaWeights(LlamaConfig config, String source, Map<String, INDArray> tensors) {
        this.config = config;
        this.source = source;
        this.tensors = tensors;
    }

    /** Maps checkpoint names to canonical ones and validates them against {@code config}. */
    public static LlamaWeights from(LlamaConfig config, TensorMap checkpoint) {
        Map<String, INDArray> t = CanonicalTensors.of(checkpoint, LlamaTensorNames::canonical,
                LlamaTensorNames.expectedShapes(config), config.numLayers() + "-layer " + config.modelType()
                        + " decoder, hidden " + config.hiddenSize()
                        + (config.tieWordEmbeddings() ? ", tied embeddings" : ""));
        return new LlamaWeights(config, checkpoint.source(), t);
    }

    /** A deep copy, for a fine-tuning graph that changes its weights (the pretrained arrays never change). */
    public LlamaWeights copy() {
        Map<String, INDArray> t = new java.util.LinkedHashMap<>();
        tensors.forEach((k, a) -> t.put(k, a.dup()));
        return new LlamaWeights(config, source, t);
    }

    public LlamaConfig config() {
        return config;
    }

    public String source() {
        return source;
    }

    /** Canonical name -> array, in a stable order (embeddings, block 0, 1, ..., final norm, head). */
    public Map<String, INDArray> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public INDArray get(String canonicalName) {
        INDArray a = tensors.get(canonicalName);
        if (a == null) {
            throw new ModelFormatException(source + ": missing tensor \"" + canonicalName + "\"");
        }
        return a;
    }

    /** Total number of parameters (a tied head counted once). */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(INDArray::length).sum();
    }
}
